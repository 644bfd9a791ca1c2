"""The client's address and counting its requests: what every rate limit (public
forms, the POST ceiling, django-axes' login lockout) is built on."""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# Requests allowed per client address and scope, and in how many seconds.
DEFAULT_RATE_LIMIT = (10, 600)


def client_ip(request):
    """The visitor's address, for rate limits (and django-axes, AXES_CLIENT_IP_CALLABLE).

    Behind TRUSTED_PROXY_COUNT proxies (production), it is the address the outermost
    trusted proxy appended to X-Forwarded-For: entries further left come from the
    client and could be forged. Without proxies (0, the default) it is REMOTE_ADDR.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def over_rate_limit(request, scope, rate=DEFAULT_RATE_LIMIT):
    """Count this request for its client address and `scope`; True once over."""
    return over_limit(f"public-form:{scope}:{client_ip(request)}", rate)


def over_limit(key, rate):
    """Count one more event for `key` (a client address and scope, or anything else
    that must not happen too often); True once over `rate` (limit, seconds).

    Counted in the shared cache; while it does not answer (production's Redis is
    set to swallow errors, so `incr` gives None), in this process instead: the
    limits then hold per server process rather than not at all.
    """
    limit, window = rate
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count is None:
        count = _local_counts.incr(key, window)
    else:
        _local_counts.cache_answers()
    return count > limit


class _LocalCounts:
    """Per-process request counts for when the shared cache is down: {key: (count,
    end of window)}, pruned as windows end. Logs the outage once, not per request."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}
        self._falling_back = False

    def incr(self, key, window):
        now = time.monotonic()
        with self._lock:
            if not self._falling_back:
                self._falling_back = True
                logger.warning("The cache does not answer: rate limits count per process.")
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, ends = self._counts.get(key, (0, now + window))
            self._counts[key] = (count + 1, ends)
            return count + 1

    def cache_answers(self):
        if self._falling_back:
            with self._lock:
                self._falling_back, self._counts = False, {}
            logger.warning("The cache answers again: rate limits are shared again.")


_local_counts = _LocalCounts()
