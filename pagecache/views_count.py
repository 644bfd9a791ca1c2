"""How many times each page was viewed, per day: counted on the server, with no
cookie, no pixel, no redirect, and nothing about the visitor stored.

What counts as a view: a GET answered 200 with an HTML Wagtail page (the page
said so through the `on_serve_page` hook), from the cache or rendered, to a
request without a session cookie (editors signed in are not readers), without a
prefetch header (`Sec-Purpose`/`Purpose: prefetch`: the browser may never show
it), and whose User-Agent names no robot (BOT_WORDS; an empty one counts as a
robot). The User-Agent is read, never kept; no address, referrer or time of day
is. What is stored is (page id, day, count): PageViews.

Three steps, so that a view costs a dictionary increment:

1. `count(page_id)`: each process adds the view to its own tally (under a lock).
2. `push()`: at most every PUSH_SECONDS, on the next view, the process adds its
   tally to the shared cache (Redis in production), one `incr` per (page, day)
   key, and empties the tally. A process that dies loses up to PUSH_SECONDS of
   views. When the cache does not answer (django-redis answers None), the views
   of that push are dropped: the site is unaffected, those views are not counted.
3. `flush()`: moves the shared counts into the database: for every page id and
   each of the last KEEP_DAYS days, it reads the counts, takes each one away with
   `decr` and adds it to the day's row (an upsert with F(); created when missing).
   Two flushes at once cannot count a view twice: a `decr` that leaves a counter
   below zero means another flush took those views first, so it is given back
   and not written. `manage.py flush_page_views` runs it (every few minutes from
   the scheduler); the pages that show counts flush first, so they are current.

Limits: without a shared cache (LocMem in development and tests) counts are
exact within one process, and a flush in another process (the management
command) sees none of them. Counts a dead process had not pushed, pushes made
while Redis was down, and counters Redis lost (the cache is emptied after an
outage, site/cache_backend.py) are views not counted; counters not flushed
within CACHE_DAYS expire. None of this can count a view twice.
"""

import datetime
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.http.cookie import parse_cookie
from django.utils import timezone

#: Substrings (lowercase) of the User-Agent of robots: search engines, link
#: previews, monitors, command-line clients and libraries.
BOT_WORDS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "facebookexternalhit",
    "embedly",
    "monitor",
    "uptime",
    "pingdom",
    "lighthouse",
    "headless",
    "curl",
    "wget",
    "python",
    "httpx",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "feed",
    "rss",
    "wrk",
)
PUSH_SECONDS = 10
PUSH_VIEWS = 1000  # pushed sooner when the tally holds this many views
KEEP_DAYS = 3  # days a flush looks back for counts
CACHE_DAYS = 8  # a counter left unflushed expires after this
KEY_PREFIX = "page-views"


_BOT = re.compile("|".join(re.escape(word) for word in BOT_WORDS))


def enabled():
    return getattr(settings, "PAGE_VIEWS_COUNTED", True)


def counts_as_view(meta, status, content_type):
    """Whether this request, answered with this status and content type, is a
    reader's view of a page (see the module's docstring)."""
    if meta.get("REQUEST_METHOD") != "GET" or status != 200:
        return False
    if not (content_type or "").startswith("text/html"):
        return False
    purpose = (meta.get("HTTP_SEC_PURPOSE") or meta.get("HTTP_PURPOSE") or "").lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    cookie = meta.get("HTTP_COOKIE")
    if cookie and settings.SESSION_COOKIE_NAME in parse_cookie(cookie):
        return False
    agent = meta.get("HTTP_USER_AGENT")
    return bool(agent) and _BOT.search(agent.lower()) is None


def key(page_id, day):
    return f"{KEY_PREFIX}:{day.isoformat()}:{page_id}"


class _Tally:
    """This process's views not yet pushed: {(page id, day): views}."""

    def __init__(self):
        self.lock = threading.Lock()
        self.views = {}
        self.total = 0
        self.since = time.monotonic()

    def add(self, page_id, day):
        with self.lock:
            self.views[page_id, day] = self.views.get((page_id, day), 0) + 1
            self.total += 1
            due = self.total >= PUSH_VIEWS or time.monotonic() - self.since >= PUSH_SECONDS
        return due

    def take(self):
        with self.lock:
            views, self.views, self.total = self.views, {}, 0
            self.since = time.monotonic()
        return views


_tally = _Tally()


class _Today:
    """The local date, worked out again only when the time leaves the day it was
    worked out for (a time zone conversion costs more than the rest of a count)."""

    def __init__(self):
        self.span = (None, None, None)  # (start, end, date)

    def __call__(self):
        now = timezone.now()
        start, end, day = self.span
        if start is None or not start <= now < end:
            local = timezone.localtime(now)
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            day = local.date()
            # An hour short of a day: safe across the changes of summer time.
            self.span = (midnight, midnight + datetime.timedelta(hours=23), day)
            if not midnight <= now < midnight + datetime.timedelta(hours=23):
                self.span = (now, now, day)  # the last hour of the day: not kept
        return day


_today = _Today()


def count(page_id, meta, status, content_type):
    """Count this answer as a view of `page_id` if it is one. Never raises: a
    failure here must not cost the visitor the page."""
    if page_id is None or not enabled() or not counts_as_view(meta, status, content_type):
        return
    if _tally.add(page_id, _today()):
        push()


def _add_to_cache(cache_key, views):
    """Add `views` to a shared counter; False when the cache did not answer."""
    try:
        return cache.incr(cache_key, views) is not None
    except ValueError:  # no such counter yet
        pass
    if cache.add(cache_key, views, CACHE_DAYS * 86400):
        return True
    try:  # another process created it meanwhile
        return cache.incr(cache_key, views) is not None
    except ValueError:
        return False


def push():
    """Add this process's tally to the shared cache. Returns the views dropped
    because the cache did not answer."""
    dropped = 0
    for (page_id, day), views in _tally.take().items():
        try:
            added = _add_to_cache(key(page_id, day), views)
        except Exception:  # noqa: BLE001  (any cache failure: drop, never fail the page)
            added = False
        if not added:
            dropped += views
    return dropped


def _take(cache_key, views):
    """Take `views` from a shared counter; False when another flush took them."""
    try:
        left = cache.decr(cache_key, views)
    except ValueError:  # gone (expired, or the cache was emptied)
        return False
    if left is None:
        return False
    if left < 0:
        cache.incr(cache_key, views)
        return False
    return True


def _page_ids():
    from wagtail.models import Page

    return list(Page.objects.filter(depth__gt=1).values_list("pk", flat=True))


def flush(page_ids=None):
    """Move the shared counts into PageViews. Returns the number of views written."""
    from pagecache.models import PageViews

    push()
    page_ids = _page_ids() if page_ids is None else list(page_ids)
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(KEEP_DAYS)]
    wanted = [key(page_id, day) for page_id in page_ids for day in days]
    found = {}
    for start in range(0, len(wanted), 1000):
        found.update(cache.get_many(wanted[start : start + 1000]))
    written = 0
    for page_id in page_ids:
        for day in days:
            cache_key = key(page_id, day)
            views = found.get(cache_key)
            if not isinstance(views, int) or views <= 0 or not _take(cache_key, views):
                continue
            try:
                _add_to_table(PageViews, page_id, day, views)
            except Exception:
                cache.incr(cache_key, views)  # given back for the next flush
                raise
            written += views
    return written


def _add_to_table(model, page_id, day, views):
    rows = model.objects.filter(page_id=page_id, day=day)
    if rows.update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            model.objects.create(page_id=page_id, day=day, views=views)
    except IntegrityError:  # another flush created the row meanwhile
        rows.update(views=F("views") + views)


def views_in_windows(page_ids, windows):
    """{page id: {name: views}} for each window {name: (first day, last day)}
    (both included), in one query; pages without a view are left out."""
    from pagecache.models import PageViews

    page_ids = list(page_ids)
    if not page_ids or not windows:
        return {}
    sums = {
        name: Sum("views", filter=Q(day__gte=first, day__lte=last), default=0)
        for name, (first, last) in windows.items()
    }
    rows = (
        PageViews.objects.filter(page_id__in=page_ids)
        .filter(day__gte=min(first for first, _ in windows.values()))
        .filter(day__lte=max(last for _, last in windows.values()))
        .order_by()
        .values("page_id")
        .annotate(**sums)
    )
    return {row.pop("page_id"): row for row in rows}
