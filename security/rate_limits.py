"""The client's address and counting its requests: what every rate limit (public
forms, the POST ceiling, django-axes' login lockout) is built on."""

from django.conf import settings
from django.core.cache import cache

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
    limit, window = rate
    key = f"public-form:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
