"""Local development: SQLite, debug on, emails printed to the console."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = True
# A development-only key; production refuses to start without its own.
SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Pages are rendered afresh on every request while developing (templates change).
PAGE_CACHE_SECONDS = 0
