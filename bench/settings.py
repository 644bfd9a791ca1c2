"""Settings for `make bench`: production's shape on the demo database.

DEBUG off, templates cached, the page cache on, Redis when REDIS_URL is set (as in
production; else a per-process memory cache), the demo SQLite database that
`make setup` builds, no HTTPS redirect (the benchmark speaks plain HTTP on
127.0.0.1). Nothing here is secret or used outside the benchmark.
"""

import os

from diaspora_site.settings.dev import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PAGE_CACHE_SECONDS = 600
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The demo database is read, never written: no task worker is needed.
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "ERROR"}}  # noqa: F405
