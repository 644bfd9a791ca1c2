"""Settings shared by every environment. Nothing secret lives here."""

import os
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# The project's apps, in layers (docs/architecture.md): each imports only from the
# layers below it. Their order here is the order of their hooks and templates.
INSTALLED_APPS = [
    "personal_data",
    "demo",
    "stories",
    "events",
    "newsletter",
    "discussion",
    "discovery",
    "translation_workflow",
    "home",
    "public_forms",
    "pagecache",
    "privacy",
    "security",
    "health",
    "backups",
    "mailroom",
    # Two-factor sign-in to the admin, with django-otp's TOTP and recovery codes.
    "twofactor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Counts site-search terms for the admin's "Search terms" report (discovery/search.py).
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
    "axes",
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
    # Answers anonymous visitors from the cache before anything else runs, and
    # stores pages with the headers all the others add (pagecache/middleware.py).
    "pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, redirecting "/path/" to "/<lang>/path/" only where that leads to a
    # page or a view: other 404s stay 404s (home/locale_redirects.py).
    "home.locale_redirects.LocaleMiddleware",
    # A per-address ceiling on every POST outside the admin (public_forms/middleware.py).
    "public_forms.middleware.PublicPostRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given a second factor?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # No admin page before the second factor, for those who need one (twofactor/).
    "twofactor.middleware.AdminTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.csp.AdminContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Locks the admin login after repeated failures (AXES_* below).
    "axes.middleware.AxesMiddleware",
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

# Django's, writing the HTML of its common widget templates in Python
# (public_forms/rendering.py): the same HTML, a fraction of the time.
FORM_RENDERER = "public_forms.rendering.FormRenderer"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
# English is the source locale; French and Dutch are translated with
# wagtail-localize. LANGUAGES holds each language's own name, for visitors (a Dutch
# reader looks for "Nederlands", not "Dutch"); WAGTAIL_CONTENT_LANGUAGES holds names
# in the reader's language, for the admin (Locale.get_display_name reads it):
# "anglais" in the French admin. See docs/translation.md.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("nl", "Nederlands"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("nl", _("Dutch")),
]
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
# Bodies above 2.5 MB (Django's default) are refused; uploads above it are streamed
# to disk. Images and documents have their own limits (WAGTAIL*_MAX_UPLOAD_SIZE).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Backups, retention periods, DKIM and the incoming mailbox.
from .operations import *  # noqa: E402, F403

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Diaspora Engagement — Belgium & Luxembourg"
WAGTAILIMAGES_IMAGE_MODEL = "home.CustomImage"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# A small file can still decode to a huge bitmap (a "decompression bomb").
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILFORMS_HELP_TEXT_ALLOW_HTML = False
# The admin contacts no third party (its CSP would refuse it anyway): no Gravatar
# images, no check for a newer Wagtail release.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Three task backends, chosen on purpose. Wagtail 8 queues its own work (search and
# reference index updates) on "default": it stays immediate, so a published page is
# searchable at once and no worker is needed for it. Slow work of our own (sending an
# issue, invitations, event reminders and date announcements) goes to "background", a
# queue in the database. Emails a visitor's form sets off (the subscription's
# confirmation, a registration's answer, a place freed) go to "emails", a queue of its
# own with a worker of its own, so that they never wait behind an issue going to the
# whole list nor in the visitor's request. `scripts/worker.sh <backend>` runs a worker
# and restarts it if it stops (`make run` starts both; docs/production.md).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "emails": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# What /healthz calls a problem for a person (health/checks.py). Each can be set
# from the environment; the numbers are seconds.
HEALTH = {
    # The oldest task waiting in each queue, at most.
    "MAX_WAIT": {
        "emails": int(os.environ.get("HEALTH_EMAILS_MAX_WAIT", 300)),
        "background": int(os.environ.get("HEALTH_BACKGROUND_MAX_WAIT", 1800)),
    },
    # A worker that has not written its heartbeat for this long is gone.
    "WORKER_SILENCE": int(os.environ.get("HEALTH_WORKER_SILENCE", 180)),
    # How long the cache may take to answer a write and a read.
    "CACHE_TIMEOUT": float(os.environ.get("HEALTH_CACHE_TIMEOUT", 1)),
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
    # On PostgreSQL, a message's mark (sending, sent) is committed without waiting for
    # the disk, except at every this many messages: a crash of the database server
    # can make at most this many subscribers per worker get an issue twice. 1 waits
    # for every commit. (A worker crash repeats at most one message, whatever this is.)
    "DURABLE_EVERY": 50,
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

# --- Page cache --------------------------------------------------------------
# Anonymous visitors get rendered pages from the cache for up to this many seconds;
# any content change empties it at once (pagecache/). 0 turns it off.
PAGE_CACHE_SECONDS = 600

# The page types with a discussion below them (discussion/rendering.py), by model
# label; the types of an app that is not installed are simply never found.
DISCUSSION_PAGE_TYPES = (
    "stories.storypage",
    "home.projectpage",
    "events.callpage",
    "newsletter.newsletterissuepage",
)
# Rejected and spam contributions are deleted after this many days (purge_discussion).
DISCUSSION_RETENTION_DAYS = 30

# --- Security ----------------------------------------------------------------
# Login: django-axes locks an account-and-address pair after 5 failures for an hour.
# The lockout answer is the same whether the user exists or not.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.rate_limits.client_ip"
TRUSTED_PROXY_COUNT = 0  # production.py: behind a load balancer
AXES_LOCKOUT_TEMPLATE = "security/admin_login_locked.html"
# Axes logs usernames (often email addresses) on failures: only the counts are kept.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "email"]
# Two-factor sign-in (twofactor/policy.py): required for superusers and for anyone
# holding one of these permissions (send issues, see or export subscribers, find and
# export a person's data), whatever their group; anyone else may enrol.
TWO_FACTOR_PERMISSIONS = [
    "newsletter.send_newsletter",
    "newsletter.view_subscriber",
    "newsletter.change_subscriber",
    "privacy.manage_personal_data",
    # Other people's names and addresses: registrations, proposals' organisers,
    # discussion authors, form answers.
    "events.view_registration",
    "events.change_registration",
    "events.view_eventproposal",
    "discussion.view_contribution",
    "public_forms.view_publicformsubmission",
]
# The name authenticator apps show for the account.
OTP_TOTP_ISSUER = "Diaspora Engagement"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page may be framed, except Wagtail's preview, whose views say SAMEORIGIN
# themselves (and the CSP's frame-ancestors 'self' for browsers that read it).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Public pages carry no inline script or style, so the policy needs neither
# 'unsafe-inline' nor a nonce (a nonce would end up in cached HTML). Videos play in
# a frame from the two hosts the video block allows (stories/video.py).
VIDEO_FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
MEDIA_SOURCES = []  # production adds the object store's host when media live there
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MEDIA_SOURCES],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": VIDEO_FRAME_SOURCES,
    "frame-ancestors": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}
# Public pages seen by someone logged in (with Wagtail's userbar): the strict policy,
# and a nonce for what is rendered with request.csp_nonce; never cached (security/csp.py).
EDITOR_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
}
# The admin still needs inline scripts and styles (security/csp.py).
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *MEDIA_SOURCES],
    "font-src": [CSP.SELF, "data:"],
    "frame-src": [CSP.SELF, *VIDEO_FRAME_SOURCES],
}

# No email address reaches the logs or an error report.
DEFAULT_EXCEPTION_REPORTER_FILTER = "security.redaction.ExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_emails": {"()": "security.redaction.RedactEmailsFilter"},
        "database_away": {"()": "diaspora_site.errors.DatabaseAwayFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_emails"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["redact_emails"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["database_away"],  # once a minute, not per request
        },
    },
}
