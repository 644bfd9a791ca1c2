"""Production: every secret and service address comes from the environment.

A missing required variable stops the process at start-up with a clear message,
instead of running with an insecure default.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in require_env("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
DATABASES = {"default": dj_database_url.parse(require_env("DATABASE_URL"), conn_max_age=600)}
WAGTAILADMIN_BASE_URL = require_env("WAGTAILADMIN_BASE_URL")

MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
# Static files are served by the app itself (whitenoise), compressed and cached forever.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "true").lower() == "true",
        },
    }
}
DEFAULT_FROM_EMAIL = require_env("DEFAULT_FROM_EMAIL")

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

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
