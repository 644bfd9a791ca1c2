"""Settings for the test suite: fast, isolated, in memory where possible.

DATABASE_URL switches the suite to another database (CI runs it on PostgreSQL).
"""

import os
import tempfile

from .base import *  # noqa: F403
from .databases import database

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# In memory by default; a SQLite file (the browser tests' server, the upgrade test's
# sites) runs in WAL mode with immediate transactions, as `make run` does.
DATABASES = {"default": database(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Without a cap on entries, like production's Redis: locmem's default (300, then a
# third culled) dropped image renditions of the larger pages of the query-count test,
# each then read again from the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
if os.environ.get("REDIS_URL"):
    # CI runs the suite on Redis as production does. Each pytest-xdist worker gets a
    # database of its own (1, 2, ...), since every test empties the cache (FLUSHDB).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    redis_server = os.environ["REDIS_URL"].rstrip("/").rsplit("/", 1)
    if redis_server[-1].isdigit():  # a database number was given: ours replace it
        redis_server = redis_server[:-1]
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"{'/'.join(redis_server)}/{1 + int(worker or 0)}",
        }
    }
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Emails a form sets off run at once, so that tests read them in mail.outbox: they
# still go through the task (its arguments must be JSON, ids only) and after the
# commit. tests/test_email_queue.py puts them on a database queue as production does.
TASKS = {  # noqa: F405
    **TASKS,  # noqa: F405
    "emails": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
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
        for key in ("BATCH_SIZE", "LEASE_SECONDS", "DURABLE_EVERY")
        if os.environ.get(f"NEWSLETTER_{key}")
    },
}
