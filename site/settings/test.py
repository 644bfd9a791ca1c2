"""Settings for the test suite: fast, isolated, in memory where possible.

DATABASE_URL switches the suite to another database (CI runs it on PostgreSQL).
"""

import os
import tempfile

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="diaspora-test-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"

# The crash test (tests/newsletter/test_sending_crash.py) runs the worker in
# subprocesses: it points their mailer at its SMTP server and shortens the lease.
if os.environ.get("TEST_SMTP_PORT"):
    MAILERS["default"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": int(os.environ["TEST_SMTP_PORT"]), "timeout": 10},
    }
NEWSLETTER = {  # noqa: F405
    **NEWSLETTER,  # noqa: F405
    **{
        key: int(os.environ[f"NEWSLETTER_{key}"])
        for key in ("BATCH_SIZE", "LEASE_SECONDS")
        if os.environ.get(f"NEWSLETTER_{key}")
    },
}
