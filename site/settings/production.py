"""Production: every secret and service address comes from the environment.

A missing required variable stops the process at start-up with a clear message,
instead of running with an insecure default.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from diaspora_site.cache_backend import redis_cache

from .base import *  # noqa: F403


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int | None = None, *, minimum: int = 1) -> int:
    """A whole number of at least `minimum` from the environment; `default` when the
    variable is unset or empty, or required when there is no default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        if default is None:
            raise ImproperlyConfigured(
                f"The environment variable {name} must be set in production."
            )
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number of at least {minimum} "
            f"(it is {raw!r})."
        )
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
# Old keys still accepted for signed links (cancel, unsubscribe) while rotating.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or require_env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
WAGTAILADMIN_BASE_URL = require_env("WAGTAILADMIN_BASE_URL")
ADMINS = [("Site administrators", address) for address in env_list("ADMIN_EMAILS")]

# --- Database: PostgreSQL, connections kept open between requests --------------
DATABASES = {
    "default": dj_database_url.parse(
        require_env("DATABASE_URL"), conn_max_age=600, conn_health_checks=True
    )
}

# --- Cache and sessions: Redis, shared by every app server -----------------------
# The page cache, rate limits of public forms and sessions all live here, so any
# number of app servers behind a load balancer agree (pagecache/).
REDIS_URL = require_env("REDIS_URL")
# A Redis outage degrades to uncached pages instead of errors, and a Redis that
# stops answering costs one timeout per process every REDIS_RETRY_SECONDS, not one
# per call (site/cache_backend.py).
CACHES = {
    "default": redis_cache(
        REDIS_URL,
        timeout=env_int("REDIS_TIMEOUT_SECONDS", 1),
        retry_seconds=env_int("REDIS_RETRY_SECONDS", 10),
    )
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS, minimum=0)  # noqa: F405

MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
# Static files are served by the app itself (whitenoise), compressed and cached forever.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)

# --- Media: the local disk, or an S3-compatible object store -------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(MEDIA_ROOT))  # noqa: F405
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3)
    # or the machine's role; AWS_S3_ENDPOINT_URL points at any S3-compatible store.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,  # media are public, like the pages
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    media_host = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or os.environ.get(
        "AWS_S3_ENDPOINT_URL", "https://*.amazonaws.com"
    )
    media_host = media_host if "://" in media_host else f"https://{media_host}"
    SECURE_CSP = {**SECURE_CSP, "img-src": [*SECURE_CSP["img-src"], media_host]}  # noqa: F405
    ADMIN_CSP = {**ADMIN_CSP, "img-src": [*ADMIN_CSP["img-src"], media_host]}  # noqa: F405
    EDITOR_CSP = {**EDITOR_CSP, "img-src": [*EDITOR_CSP["img-src"], media_host]}  # noqa: F405

# --- Backups: BACKUP_DIR is read in base.py ----------------------------------
BACKUP_KEEP = env_int("BACKUP_KEEP", BACKUP_KEEP)  # noqa: F405

# --- A CDN in front: purged through Wagtail's frontend cache -------------------
# FRONTEND_CACHE_BACKEND: cloudflare, cloudfront or http (Varnish, Fastly's purge
# endpoint...); its settings come from FRONTEND_CACHE_<OPTION> variables, e.g.
# FRONTEND_CACHE_BEARER_TOKEN and FRONTEND_CACHE_ZONEID for Cloudflare.
FRONTEND_CACHE_BACKENDS = {
    "cloudflare": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
    "cloudfront": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
    "http": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
}
if backend := os.environ.get("FRONTEND_CACHE_BACKEND", "").strip():
    if backend not in FRONTEND_CACHE_BACKENDS:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND must be one of {', '.join(FRONTEND_CACHE_BACKENDS)}."
        )
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": FRONTEND_CACHE_BACKENDS[backend],
            **{
                name.removeprefix("FRONTEND_CACHE_"): value
                for name, value in os.environ.items()
                if name.startswith("FRONTEND_CACHE_") and name != "FRONTEND_CACHE_BACKEND"
            },
        }
    }

# --- Search ----------------------------------------------------------------------
# Wagtail's database backend uses PostgreSQL's full-text search here (base.py). The
# next step for a large site is Elasticsearch or OpenSearch: docs/production.md.

MAILERS = {
    "default": {
        # Django's SMTP backend with the DKIM signature and bounce address (mailroom).
        "BACKEND": "mailroom.backends.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "true").lower() == "true",
        },
    }
}
DEFAULT_FROM_EMAIL = require_env("DEFAULT_FROM_EMAIL")
# Mail: docs/production.md, "Mail that arrives, and what comes back".
MAIL_BOUNCE_ADDRESS = os.environ.get("MAIL_BOUNCE_ADDRESS", "").strip()
DKIM_PRIVATE_KEY = os.environ.get("DKIM_PRIVATE_KEY", "").strip()
DKIM_SELECTOR = os.environ.get("DKIM_SELECTOR", "").strip()
DKIM_DOMAIN = os.environ.get("DKIM_DOMAIN", "").strip()
INCOMING_MAIL = {
    **INCOMING_MAIL,  # noqa: F405
    **{
        key: os.environ[f"INCOMING_MAIL_{key}"].strip()
        for key in INCOMING_MAIL  # noqa: F405
        if key != "IMAP_PORT" and os.environ.get(f"INCOMING_MAIL_{key}", "").strip()
    },
    "IMAP_PORT": env_int("INCOMING_MAIL_IMAP_PORT", 993),
}

# --- Operational settings: the defaults of base.py, each one overridable --------
# (docs/production.md lists them; a value that is not a whole number in range stops
# the start-up with a message naming the variable.)
NEWSLETTER = {
    **NEWSLETTER,  # noqa: F405
    "UNSUBSCRIBE_MAILTO": os.environ.get("NEWSLETTER_UNSUBSCRIBE_MAILTO", "").strip()
    or NEWSLETTER["UNSUBSCRIBE_MAILTO"],  # noqa: F405
    **{
        key: env_int(f"NEWSLETTER_{key}", NEWSLETTER[key])  # noqa: F405
        for key in (
            "BATCH_SIZE",
            "LEASE_SECONDS",
            "DURABLE_EVERY",
            "UNCONFIRMED_DAYS",
            "INVITATION_DAYS",
        )
    },
}
EVENTS_REGISTRATION_RETENTION_MONTHS = env_int(
    "EVENTS_REGISTRATION_RETENTION_MONTHS",
    EVENTS_REGISTRATION_RETENTION_MONTHS,  # noqa: F405
)

RETENTION = {
    **RETENTION,  # noqa: F405
    **{
        key: env_int(f"RETENTION_{key.upper()}_DAYS", days)
        for key, days in RETENTION.items()  # noqa: F405
        if days is not None and key != "backups"
    },
    "backups": BACKUP_KEEP,  # noqa: F405 (read from the environment above)
}
WAGTAILSEARCH_HITS_MAX_AGE = RETENTION["search_terms"]

# --- Email service (optional) -------------------------------------------------------
# Plain SMTP (above) needs nothing more. To send the newsletter through an email
# service supported by django-anymail, and learn about bounces and complaints:
#   NEWSLETTER_ESP_BACKEND   the anymail backend, e.g. anymail.backends.postmark.EmailBackend
#   ANYMAIL_<SETTING>        each of its settings, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN
#                            (read into ANYMAIL without the prefix: POSTMARK_SERVER_TOKEN)
#   ANYMAIL_WEBHOOK_SECRET   "user:password" for the tracking webhook, required then;
#                            give the service https://user:password@<host>/anymail/<esp>/tracking/
# Issues and invitations then go out through the MAILERS alias "esp"; the site's own
# emails (confirmation links) keep using "default".
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value.strip()
}
ESP_BACKEND = os.environ.get("NEWSLETTER_ESP_BACKEND", "").strip()
if ESP_BACKEND:
    if not ESP_BACKEND.startswith("anymail.backends."):
        raise ImproperlyConfigured("NEWSLETTER_ESP_BACKEND must be an anymail backend.")
    ANYMAIL["WEBHOOK_SECRET"] = require_env("ANYMAIL_WEBHOOK_SECRET")
    if ":" not in ANYMAIL["WEBHOOK_SECRET"]:
        raise ImproperlyConfigured("ANYMAIL_WEBHOOK_SECRET must be 'user:password'.")
    MAILERS["esp"] = {"BACKEND": ESP_BACKEND}
    NEWSLETTER = {**NEWSLETTER, "MAILER": "esp"}  # noqa: F405

# --- HTTPS and cookies --------------------------------------------------------------
# The load balancer or CDN terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# A load balancer probes its servers over plain HTTP: answer it, do not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/serving)?$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# How many proxies (load balancer, CDN) stand in front and append to X-Forwarded-For:
# rate limits and django-axes then see the visitor's address (security/rate_limits.py).
# Required, with no default: 0 behind a load balancer gives every visitor its address
# (one rate limit and one login lockout for all); 1 with nothing in front lets any
# client write its own address into X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", minimum=0)
