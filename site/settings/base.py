"""Settings shared by every environment. Nothing secret lives here."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "home",
    "stories",
    "events",
    "newsletter",
    "privacy",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Counts site-search terms for the admin's "Search terms" report (home/search.py).
    "wagtail.contrib.search_promotions",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django_filters",
    "django_tasks_db",
    "anymail",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail's search index uses PostgreSQL's full-text fields when on PostgreSQL.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "diaspora_site.urls"
WSGI_APPLICATION = "diaspora_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
# English is the source locale; French and Dutch are translated with
# wagtail-localize. Names are the languages' own (a Dutch reader looks for
# "Nederlands", not "Dutch").
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("nl", "Nederlands"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["diaspora_site.formats"]
# Events happen in Brussels: the admin takes and shows times in this zone.
TIME_ZONE = "Europe/Brussels"

# Country names follow the newsletter's own wording.
COUNTRIES_OVERRIDE = {
    "PS": _("Palestinian Territory"),
    "CD": _("Democratic Republic of Congo"),
}

# --- Static and media files -------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor posts many fields for long StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Diaspora Engagement — Belgium & Luxembourg"
WAGTAILIMAGES_IMAGE_MODEL = "home.CustomImage"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILFORMS_HELP_TEXT_ALLOW_HTML = False

# Two task backends, chosen on purpose. Wagtail 8 queues its own work (search and
# reference index updates) on "default": it stays immediate, so a published page is
# searchable at once and no worker is needed for it. Slow work of our own (sending an
# issue, invitations, event reminders and date announcements) goes to "background", a
# queue in the database that `manage.py db_worker --backend background` works through
# (`make worker`; `make run` starts one).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# --- Events -----------------------------------------------------------------
# Registrations are deleted this many months after their event
# (`manage.py purge_registrations`, run daily).
EVENTS_REGISTRATION_RETENTION_MONTHS = 12

# --- Newsletter -------------------------------------------------------------
DEFAULT_FROM_EMAIL = "Diaspora Engagement <diaspora@iom-belgium.example>"
NEWSLETTER = {
    # The MAILERS alias issues go out through (a bulk-mail transport if you have one).
    "MAILER": "default",
    # Where mail clients send an unsubscribe request by email (List-Unsubscribe).
    "UNSUBSCRIBE_MAILTO": "unsubscribe@iom-belgium.example",
    # Messages a worker sends over one SMTP connection before reconnecting.
    "BATCH_SIZE": 200,
    # How long a worker holds the rows it claimed. A worker that dies loses them after
    # this time and another worker takes them over; it must exceed one batch's sending.
    "LEASE_SECONDS": 300,
    # Sign-ups not confirmed within this many days are deleted (purge_subscribers).
    "UNCONFIRMED_DAYS": 7,
    # Imported contacts get one invitation; its link works this many days, and
    # contacts who have not accepted by then are deleted (purge_subscribers).
    "INVITATION_DAYS": 30,
}

# Bounces and complaints arrive through django-anymail's tracking webhooks
# (/anymail/<esp>/tracking/) when an email service is configured; see production.py.
ANYMAIL = {}

# Machine translation is off: no network here, and translations are reviewed
# by people. To plug in one of wagtail-localize's providers, set for example:
# WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
#     "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
#     "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_AUTH_KEY"]},
# }
