"""Answering anonymous visitors from the cache, and storing what may be stored.

`PageCacheMiddleware` is the first middleware, so a hit is answered before the
session, authentication, locale and CSRF middlewares run, and what it stores carries
every header the others add (CSP, HSTS, nosniff...). In production, `CachedPagesApp`
answers hits one step earlier still, around Django's WSGI application. A response is
stored only when the view marked it public (pagecache.decorators) and it is the same
for every anonymous visitor: no session or messages cookie on the request; a 200 to a
GET that sets no cookie, says nothing private or `no-store`, and varies on nothing but
the cookie. The path and query are the key, so each language has its own entries.
Entries hold the generation they were stored under (pagecache.generation), the
counters the page said it depends on, and the moment they expire: PAGE_CACHE_SECONDS
after they were stored, or sooner when the page said it changes sooner
(pagecache.lifetime). The warm-up (pagecache.warmup) renders pages through the
whole stack after the cache empties; its requests render anew (RENDER_ANEW).
See docs/caching-and-forms.md.
"""

import hashlib
import math
import re
import threading
from collections import OrderedDict
from http.client import responses
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.cache import patch_cache_control

from pagecache.generation import GENERATION_KEY, counter_key, generation, new_series
from pagecache.lifetime import collecting
from pagecache.views_count import count

HIT_HEADER = "X-Page-Cache"
HIT_HIT = (HIT_HEADER, "hit")
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
#: WSGI environ keys of the warm-up's requests (pagecache.warmup); no client can set
#: one (headers arrive as HTTP_*). With RENDER_ANEW the page is rendered and stored
#: even when a valid entry exists, and what it declared while rendering is left in
#: the environ under DECLARED (a pagecache.lifetime.Declarations).
RENDER_ANEW = "pagecache.render_anew"
DECLARED = "pagecache.declared"
#: The request attribute naming the Wagtail page served (set by wagtail_hooks.py).
PAGE_ID = "page_view_id"


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


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


class Entry(NamedTuple):
    """A stored response, and until when it holds."""

    generation: int
    expires: float  # POSIX time
    counters: tuple  # ((name, value), ...): see pagecache.lifetime.depends_on
    status: int
    headers: list
    content: bytes
    # The Wagtail page this HTML answer shows, counted as a view of it on each hit
    # (pagecache.views_count); entries stored before it existed have none.
    page_id: int | None = None

    def holds(self, generation, counters, now):
        return (
            self.generation == generation
            and self.expires > now
            and all(counters.get(counter_key(name)) == value for name, value in self.counters)
        )


def _lookup(meta):
    """(key, generation, stored entry or None).

    Each process keeps the pages it served lately (`_recent`), until they expire.
    With such a copy, the shared cache is asked, in one round trip, for the current
    generation and the counters the page depends on (a few bytes); the page itself
    (tens of KB) only when this process has no copy that still holds.
    """
    key = _key(meta)
    now = timezone.now().timestamp()
    copy = _recent.get(key)
    if copy is not None and copy.expires <= now:
        copy = None
    wanted = [GENERATION_KEY]
    wanted += [key] if copy is None else [counter_key(name) for name, _ in copy.counters]
    found = cache.get_many(wanted)
    current = found.get(GENERATION_KEY)
    if current is None:
        new_series()
        return key, cache.get(GENERATION_KEY), None
    if copy is not None:
        if copy.holds(current, found, now):
            return key, current, copy
        _forget(key)
        found = {key: cache.get(key)}  # another process may have stored it anew
    entry = found.get(key)
    if not isinstance(entry, Entry):  # none, or stored by an older release
        return key, current, None
    if entry.counters:
        found = cache.get_many([counter_key(name) for name, _ in entry.counters])
    if not entry.holds(current, found, now):
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


def _forget(key):
    with _recent_lock:
        _recent.pop(key, None)


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
    # when content changes (pagecache/cdn.py).
    if "max-age" not in response.get("Cache-Control", ""):
        patch_cache_control(response, max_age=0)
    patch_cache_control(response, public=True, s_maxage=seconds)


class PageCacheMiddleware:
    """The first middleware: answers from the cache, else lets the request through
    and stores the final response (every other middleware's headers included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._answer(request)
        if not request.META.get(RENDER_ANEW):  # the warm-up is no reader
            count(
                getattr(request, PAGE_ID, None),
                request.META,
                response.status_code,
                response.get("Content-Type"),
            )
        return response

    def _answer(self, request):
        if not _may_answer(request.META):
            return self.get_response(request)
        if _bypasses_cache(request.META):
            response = self.get_response(request)
            if getattr(request, "page_cache_public", False):
                # Someone logged in (or with a pending message) saw this page: it
                # may differ for them, so no shared cache may keep it.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        anew = request.META.get(RENDER_ANEW)
        if anew:
            key, current = _key(request.META), generation()
        else:
            key, current, entry = _lookup(request.META)
            if entry is not None:
                setattr(request, PAGE_ID, entry.page_id)
                return _rebuild(entry, head=request.method == "HEAD")

        with collecting() as declared:
            response = self.get_response(request)
        if anew:
            request.META[DECLARED] = declared
        if _storable(request, response):
            now = timezone.now()
            seconds = declared.seconds_left(cache_seconds(), now)
            _public_headers(response, seconds)
            html = response.get("Content-Type", "").startswith("text/html")
            entry = Entry(
                current,
                now.timestamp() + seconds,
                tuple(declared.counters.items()),
                response.status_code,
                list(response.items()),
                response.content,
                getattr(request, PAGE_ID, None) if html else None,
            )
            cache.set(key, entry, seconds)
            _remember(key, entry)
            response[HIT_HEADER] = "miss"
        return response


S_MAXAGE = re.compile(r"s-maxage=\d+")


def _served_headers(entry):
    """The stored headers, with what is left of the entry's lifetime as `s-maxage`: a
    CDN keeps the page no longer than this cache does (the moment the page changes
    at included)."""
    left = max(1, math.ceil(entry.expires - timezone.now().timestamp()))
    return [
        (name, S_MAXAGE.sub(f"s-maxage={left}", value) if name == "Cache-Control" else value)
        for name, value in entry.headers
    ]


def _rebuild(entry, *, head):
    response = HttpResponse(b"" if head else entry.content, status=entry.status)
    for name, value in _served_headers(entry):
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


class CachedPagesApp:
    """The same answers one step earlier, in production's WSGI entry point
    (diaspora_site.wsgi): a hit costs no Django request object and no middleware at all,
    only one round trip to Redis. Anything else goes to Django, where
    PageCacheMiddleware stores what may be stored."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if _may_answer(environ) and not _bypasses_cache(environ) and not environ.get(RENDER_ANEW):
            _key, _generation, entry = _lookup(environ)
            if entry is not None:
                status = f"{entry.status} {responses.get(entry.status, 'OK')}"
                start_response(status, [*_served_headers(entry), HIT_HIT])
                count(entry.page_id, environ, entry.status, "text/html")
                return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.content]
        return self.application(environ, start_response)
