"""Production's cache: django-redis that steps aside while Redis does not answer.

django-redis's IGNORE_EXCEPTIONS turns a failed call into a miss, but each call
still waits for its socket timeout: against a Redis that accepts connections and
never answers, a page makes several calls and takes several timeouts. Here the
first failure opens a breaker for `RETRY_SECONDS`: until then every call answers
at once as a miss (what IGNORE_EXCEPTIONS would give), then one call tries Redis
again. The outage is logged when it starts and when it ends, not per call.

Writes dropped during an outage (a page cache invalidation, a logout's session
delete) would leave stale entries behind once Redis answers again, so the process
that dropped one empties the cache when Redis comes back. See docs/production.md.
"""

import logging
import socket
import threading
import time

from django_redis.cache import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("diaspora_site.cache")

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, socket.timeout, OSError)

# What each call answers while Redis is away: a miss, like IGNORE_EXCEPTIONS.
READS = {"get": None, "get_many": {}, "has_key": False, "ttl": None, "keys": []}
WRITES = {
    "set": False,
    "add": False,
    "set_many": [],
    "delete": False,
    "delete_many": 0,
    "delete_pattern": 0,
    "incr": None,
    "decr": None,
    "touch": False,
    "expire": False,
    "clear": False,
}


class _Breaker:
    """Open after a failure; half-open again after `retry_seconds` (one caller tries)."""

    def __init__(self, retry_seconds):
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._down = False
        self._writes_lost = False

    def allows(self):
        with self._lock:
            if not self._down:
                return True
            if time.monotonic() < self._open_until:
                return False
            self._open_until = time.monotonic() + self.retry_seconds  # this caller probes
            return True

    def failed(self, error, *, write):
        with self._lock:
            self._writes_lost |= write
            self._open_until = time.monotonic() + self.retry_seconds
            if self._down:
                return
            self._down = True
        logger.error(
            "The cache (Redis) does not answer (%s): serving without it, trying again every %s s.",
            type(error).__name__,
            self.retry_seconds,
        )

    def skipped(self, *, write):
        if write:
            with self._lock:
                self._writes_lost = True

    def answered(self):
        """Returns whether writes were lost during the outage that just ended."""
        if not self._down:
            return False
        with self._lock:
            was_down, lost = self._down, self._writes_lost
            self._down = self._writes_lost = False
        if was_down:
            logger.warning("The cache (Redis) answers again.")
        return lost


class ResilientRedisCache(RedisCache):
    """OPTIONS: django-redis's own, plus RETRY_SECONDS (default 10)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("RETRY_SECONDS", 10))
        options["IGNORE_EXCEPTIONS"] = False  # failures come to _call, which answers them
        # redis-py retries a timed-out command 3 times with backoff (14 s for a 1 s
        # timeout, measured): the breaker is the retry policy here.
        options["CONNECTION_POOL_KWARGS"] = {
            "retry": Retry(NoBackoff(), 0),
            **options.get("CONNECTION_POOL_KWARGS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _Breaker(retry_seconds)

    def _call(self, name, default, write, args, kwargs):
        if not self._breaker.allows():
            self._breaker.skipped(write=write)
            return default
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            self._breaker.failed(error, write=write)
            return default
        except RedisError as error:  # an answer, but an error: not an outage
            logger.error("The cache refused a command: %s", type(error).__name__)
            return default
        if self._breaker.answered():
            self._empty_after_outage()
            return result if write else default  # what was read may be stale
        return result

    def _empty_after_outage(self):
        try:
            super().clear()
        except OUTAGE_ERRORS + (RedisError,):
            self._breaker.skipped(write=True)
            return
        logger.warning("The cache was emptied: changes made while it was away may be in it.")

    def get(self, key, default=None, version=None, client=None):
        return self._call("get", default, False, (key, default, version, client), {})


def _delegate(name, default, write):
    def method(self, *args, **kwargs):
        return self._call(name, default, write, args, kwargs)

    method.__name__ = name
    return method


for _name, _default in READS.items():
    if _name != "get":
        setattr(ResilientRedisCache, _name, _delegate(_name, _default, False))
for _name, _default in WRITES.items():
    setattr(ResilientRedisCache, _name, _delegate(_name, _default, True))


def redis_cache(location, *, timeout=1.0, retry_seconds=10):
    """The CACHES entry production uses (tests use it too, against a Redis that is down)."""
    return {
        "BACKEND": "diaspora_site.cache_backend.ResilientRedisCache",
        "LOCATION": location,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": timeout,
            "SOCKET_TIMEOUT": timeout,
            "RETRY_SECONDS": retry_seconds,
        },
    }
