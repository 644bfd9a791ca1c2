"""Local development: SQLite, debug on, emails printed to the console."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR
from .databases import database

DEBUG = True
# A development-only key; production refuses to start without its own.
SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
(BASE_DIR / "var").mkdir(exist_ok=True)
# SQLite in WAL mode, with immediate transactions and a busy timeout (databases.py).
DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
# The port `make run PORT=8100` serves on: every absolute link follows it (emails
# here; `load_demo` moves the local Site to it for canonical, og:url, sitemap, .ics).
_port = os.environ.get("SITE_PORT", "").strip() or "8000"
if not _port.isdigit() or not 0 < int(_port) < 65536:
    raise ImproperlyConfigured(f"SITE_PORT must be a port number (it is {_port!r}).")
SITE_PORT = int(_port)
WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{SITE_PORT}"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Pages are rendered afresh on every request while developing (templates change).
PAGE_CACHE_SECONDS = 0
