"""The page cache: anonymous visitors get rendered pages from the cache.

`PageCacheMiddleware` is the first middleware, so a hit is answered before the
session, authentication, locale and CSRF middlewares run, and what it stores carries
every header the others add (CSP, HSTS, nosniff...). In production, `CachedPagesApp`
answers hits one step earlier still, around Django's WSGI application. What may be cached is
decided by the view, not guessed: Wagtail pages (through the `on_serve_page` hook in
home/wagtail_hooks.py), feeds, calendars and the sitemap call `mark_public(request)`.
Such a response is stored only when it is the same for every anonymous visitor:

- the request carries no session or messages cookie (editors, previews and anyone
  logged in always get a fresh page, marked private so no CDN keeps it);
- the answer is a 200 to a GET that sets no cookie, says nothing private or
  `no-store` (Wagtail marks pages behind a view restriction that way), and varies on
  nothing but the cookie;
- the path and query are the key, so each language (/en/, /fr/, /nl/) has its own
  entries; the "/" language redirect is never marked, so never cached.

Invalidation is by generation: every entry holds the value of a counter that any
content change increments (`invalidate`); an entry of another generation is a miss.
That makes every stored page unreachable at once, on every app server sharing the
cache (Redis in production). A lookup reads the counter (a few bytes) and fetches
the page only when this process holds no copy of that generation (`_recent`).
Changes are rare next to views, so dropping everything is cheaper and safer than
tracking which page shows which snippet. A CDN in front is purged through Wagtail's frontend cache
(home/frontend_cache.py).

Forms on cached pages carry no CSRF token: they post to views that are never cached
and protect themselves (home/public_forms.py; DESIGN.md, "Caching and forms").
"""

import hashlib
import secrets
import threading
from collections import OrderedDict
from http.client import responses

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils.cache import patch_cache_control
from wagtail import hooks

GENERATION_KEY = "page-cache:generation"
HIT_HEADER = "X-Page-Cache"
HIT_HIT = (HIT_HEADER, "hit")
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def mark_public(request):
    """Let the page cache store this request's response, if it qualifies."""
    request.page_cache_public = True


def cache_public(view):
    """Decorator for function views whose answer is the same for every visitor."""

    def wrapper(request, *args, **kwargs):
        mark_public(request)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@hooks.register("on_serve_page")
def pages_are_public(serve):
    """Wagtail serves a page: its answer may be cached. Pages behind a view
    restriction come back marked private by Wagtail, so they never are."""

    def inner(page, request, args, kwargs):
        if not getattr(request, "is_preview", False):
            mark_public(request)
        return serve(page, request, args, kwargs)

    return inner


def _new_series():
    # A random start, so that entries stored before the counter was lost (evicted,
    # cache restarted) can never match it again.
    cache.add(GENERATION_KEY, secrets.randbelow(2**48), timeout=None)


def generation():
    """The current generation: anything cached under it is still true. Other caches
    of rendered parts (the site chrome, home/templatetags/site_tags.py) key on it
    too, so they empty with the pages."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        _new_series()
        value = cache.get(GENERATION_KEY)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): start a new series
        _new_series()


def invalidate():
    """Drop every cached page, now and again once the current transaction commits.

    Now, so that the change is visible at once in this process (and in tests, whose
    transactions never commit); after the commit too, because a page rendered by
    another request between the two would otherwise be stored with the old content.
    """
    _bump()
    transaction.on_commit(_bump)


def _may_answer(meta):
    """Whether this request may be answered from the cache at all."""
    return meta.get("REQUEST_METHOD") in ("GET", "HEAD") and bool(cache_seconds())


def _bypasses_cache(meta):
    """Static files (whitenoise serves them), and requests with a session (editors)
    or a pending message never use the cache."""
    if meta.get("PATH_INFO", "").startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    cookie_header = meta.get("HTTP_COOKIE")
    if not cookie_header:
        return False
    cookies = parse_cookie(cookie_header)
    return settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies


def _scheme(meta):
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and meta.get(header[0], "").split(",")[0].strip() == header[1]:
        return "https"
    return meta.get("wsgi.url_scheme", "http")


def _key(meta):
    """The entry's key, from the raw WSGI environ (Django's request.META is the
    same dict), so the WSGI fast path and the middleware agree. Only hosts Django
    accepted are ever stored, so another Host header simply finds nothing."""
    host = meta.get("HTTP_HOST") or meta.get("SERVER_NAME", "")
    path = meta.get("SCRIPT_NAME", "") + meta.get("PATH_INFO", "")
    raw = f"{_scheme(meta)}://{host.lower()}{path}?{meta.get('QUERY_STRING', '')}"
    digest = hashlib.blake2b(raw.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"page-cache:{digest.hexdigest()}"


def _lookup(meta):
    """(key, generation, stored entry or None).

    Each process keeps the pages it served lately (`_recent`); the shared cache is
    asked for the current generation (a few bytes) on every request, and for the
    page itself (tens of KB) only when this process has no copy of that generation.
    """
    key = _key(meta)
    current = cache.get(GENERATION_KEY)
    if current is None:
        _new_series()
        return key, cache.get(GENERATION_KEY), None
    entry = _recent.get(key)
    if entry is None or entry[0] != current:
        entry = cache.get(key)
        if entry is None or entry[0] != current:
            return key, current, None
        _remember(key, entry)
    return key, current, entry


class _RecentPages(OrderedDict):
    """The last RECENT_PAGES entries this process served, least recent dropped."""


_recent = _RecentPages()
RECENT_PAGES = 300  # about 3 MB of HTML per process


_recent_lock = threading.Lock()  # for threaded servers (runserver, gthread)


def _remember(key, entry):
    with _recent_lock:
        _recent[key] = entry
        _recent.move_to_end(key)
        while len(_recent) > RECENT_PAGES:
            _recent.popitem(last=False)


def _storable(request, response):
    if not getattr(request, "page_cache_public", False):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie"}


def _public_headers(response, seconds):
    # Unless the view said otherwise (feeds keep a few minutes), browsers check
    # again on every visit; a CDN may keep the page for `seconds`, and is purged
    # when content changes (home/frontend_cache.py).
    if "max-age" not in response.get("Cache-Control", ""):
        patch_cache_control(response, max_age=0)
    patch_cache_control(response, public=True, s_maxage=seconds)


class PageCacheMiddleware:
    """The first middleware: answers from the cache, else lets the request through
    and stores the final response (every other middleware's headers included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_answer(request.META):
            return self.get_response(request)
        if _bypasses_cache(request.META):
            response = self.get_response(request)
            if getattr(request, "page_cache_public", False):
                # Someone logged in (or with a pending message) saw this page: it
                # may differ for them, so no shared cache may keep it.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key, generation, entry = _lookup(request.META)
        if entry is not None:
            return _rebuild(entry, head=request.method == "HEAD")

        response = self.get_response(request)
        if _storable(request, response):
            seconds = cache_seconds()
            _public_headers(response, seconds)
            entry = (generation, response.status_code, list(response.items()), response.content)
            cache.set(key, entry, seconds)
            _remember(key, entry)
            response[HIT_HEADER] = "miss"
        return response


def _rebuild(entry, *, head):
    _generation, status, headers, content = entry
    response = HttpResponse(b"" if head else content, status=status)
    for name, value in headers:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


class CachedPagesApp:
    """The same answers one step earlier, in production's WSGI entry point
    (site/wsgi.py): a hit costs no Django request object and no middleware at all,
    only one round trip to Redis. Anything else goes to Django, where
    PageCacheMiddleware stores what may be stored."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if _may_answer(environ) and not _bypasses_cache(environ):
            _key, _generation, entry = _lookup(environ)
            if entry is not None:
                _generation, status, headers, content = entry
                start_response(f"{status} {responses.get(status, 'OK')}", [*headers, HIT_HIT])
                return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [content]
        return self.application(environ, start_response)
