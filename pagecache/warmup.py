"""Warming the page cache: after it empties, the pages visitors read most are
rendered again in the background, so that visitors find them in the cache.

Which: each site's home page in every language, then the pages the apps register
under WARM_PAGES_HOOK (the home page's sections, the latest newsletter issue), as
long as they are live and public. pagecache knows no page type.

How: through Django's whole middleware stack, as an anonymous GET with the public
scheme and host (WAGTAILADMIN_BASE_URL, which the site's absolute links use), so
that the entry stored is the one visitors' requests look up (pagecache.middleware's
key). Each page is rendered anew even when its entry still holds (RENDER_ANEW): the
old entry serves visitors meanwhile, and the warm-up learns when each page next
changes by itself.

When: after any change that empties the cache (pagecache.invalidation), once the
transaction commits, and just after the first moment a warmed page said it changes
(pagecache.lifetime.changes_at). At most one warm-up starts a minute: a change made
while one waits in the queue is covered by it; a change made after one started
queues the next, a minute after that start. It runs on the "emails" task backend,
after the visitors' emails waiting there (a lower priority) and never behind a
mailing; not at all with a backend that runs tasks at once (the editor's request
would render them) or with the cache off. Best effort: a cache or queue that fails
never fails the change; it is logged once. See docs/caching-and-forms.md.
"""

import io
import logging
import math
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import translation
from wagtail import hooks
from wagtail.models import Page, Site

from pagecache.middleware import DECLARED, HIT_HEADER, RENDER_ANEW, cache_seconds

logger = logging.getLogger(__name__)

#: Wagtail hook: each function registered under this name returns pages visitors read
#: most (live and public), warmed in the order given, after each site's home pages.
WARM_PAGES_HOOK = "register_pages_to_warm"

MIN_INTERVAL = 60  # seconds, at least, between the starts of two warm-ups
PRIORITY = -50  # below the visitors' emails on the same backend (default 0)
STARTED_KEY = "page-cache:warmup:started"  # when the last warm-up started, for a minute
QUEUED_KEY = "page-cache:warmup:queued"  # a warm-up is queued and has not started
QUEUED_GRACE = 600  # ...unless no worker took it for this long: then changes queue again
AT_KEY = "page-cache:warmup:at:{}"  # a warm-up is queued for this moment (POSIX time)


class Warmed(NamedTuple):
    path: str
    status: int
    stored: bool  # the response went into the cache
    changes_at: datetime | None  # when the page said it changes by itself


# --- which pages ------------------------------------------------------------------


def pages_to_warm():
    """Each site's home page in every language, then what the apps registered."""
    hooks.search_for_hooks()  # a worker loads the apps' wagtail_hooks here
    roots = Site.objects.values_list("root_page__translation_key", flat=True)
    pages = list(Page.objects.filter(translation_key__in=roots).live().public().order_by("path"))
    for pages_of_an_app in hooks.get_hooks(WARM_PAGES_HOOK):
        pages.extend(pages_of_an_app())
    return list({page.pk: page for page in pages}.values())


def public_paths(pages):
    """The path of each page on its site, once each, in order."""
    paths = []
    for page in pages:
        parts = page.get_url_parts()
        if parts and parts[2]:
            paths.append(parts[2])
    return list(dict.fromkeys(paths))


# --- rendering --------------------------------------------------------------------


def public_environ(path):
    """A WSGI environ for an anonymous GET of `path` (as a browser asks for it, with
    percent-escapes) at the public address: what a WSGI server gives Django for a
    visitor's request, without cookies."""
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    scheme = public.scheme or "http"
    default_port = 443 if scheme == "https" else 80
    hostname = public.hostname or "localhost"
    host = f"[{hostname}]" if ":" in hostname else hostname
    if public.port and public.port != default_port:
        host = f"{host}:{public.port}"  # as browsers send Host: no default port
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),  # PEP 3333
        "QUERY_STRING": "",
        "SERVER_NAME": hostname,
        "SERVER_PORT": str(public.port or default_port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        RENDER_ANEW: True,
    }
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header and scheme == "https":
        environ[proxy_header[0]] = proxy_header[1]  # as the load balancer says it
    return environ


@contextmanager
def _one_connection():
    """Keep the database connection across the pages, as Django's test client does:
    the worker looks after its connection between tasks, and closing it after each
    page would only open another (or, inside a transaction, end it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _render(handler, path):
    environ = public_environ(path)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=int(status.split(" ", 1)[0]), headers=dict(headers))

    body = handler(environ, start_response)
    try:
        for _chunk in body:
            pass
    finally:
        body.close()  # request_finished, as a WSGI server does
    declared = environ.get(DECLARED)
    return Warmed(
        path,
        answer["status"],
        answer["headers"].get(HIT_HEADER) == "miss",
        declared.changes_at if declared else None,
    )


def warm(paths):
    """Render each of `paths` through the whole stack; what became of each."""
    handler = WSGIHandler()
    warmed = []
    with _one_connection(), translation.override(settings.LANGUAGE_CODE):
        for path in paths:
            try:
                warmed.append(_render(handler, path))
            except Exception as error:  # noqa: BLE001 - one page must not stop the rest
                logger.warning("The warm-up could not render %s: %s", path, type(error).__name__)
    return warmed


# --- when -------------------------------------------------------------------------


def schedule_warmup():
    """Queue a warm-up once the current transaction commits (pagecache.invalidation
    calls this on every change that empties the cache)."""
    if cache_seconds() and _runs_in_a_worker() and not _queued_on_this_commit():
        transaction.on_commit(queue_after_change)


def _queued_on_this_commit():
    """Whether this transaction already queues a warm-up on commit: a publish saves a
    dozen rows, and a worker quick to start the first warm-up would see the others'
    calls as changes made after it began. (Django's list of the callbacks its commit
    will run; outside a transaction, on_commit runs at once and it stays empty.)"""
    callbacks = transaction.get_connection().run_on_commit
    return any(callback is queue_after_change for _ids, callback, _robust in callbacks)


def _runs_in_a_worker():
    try:
        return not isinstance(warm_pages.get_backend(), ImmediateBackend)
    except Exception as error:  # noqa: BLE001 - no such backend: the change goes on
        _failed(error)
        return False


def queue_after_change():
    """Queue a warm-up, unless one is queued and has not started: that one renders
    after this change. It runs at once, or a minute after the last one started."""
    try:
        now = time.time()
        started = cache.get(STARTED_KEY)
        # (A second more than the lock lasts, so the queued one finds it gone.)
        at = started + MIN_INTERVAL + 1 if started and started + MIN_INTERVAL > now else None
        wait = at - now if at else 0
        if cache.add(QUEUED_KEY, True, timeout=math.ceil(wait) + QUEUED_GRACE):
            try:
                _enqueue("change", at)
            except BaseException:
                cache.delete(QUEUED_KEY)
                raise
    except Exception as error:  # noqa: BLE001 - best effort: the change stands
        _failed(error)
    else:
        _failing.clear()


def _queue_at_next_change(warmed):
    """Queue a warm-up for just after the first moment a warmed page changes by itself
    (each warm-up queues the next such one, so the chain goes on)."""
    moments = [page.changes_at for page in warmed if page.changes_at is not None]
    if not moments:
        return
    at = math.ceil(min(moments).timestamp()) + 1  # once the moment has passed
    if cache.add(AT_KEY.format(at), True, timeout=max(1, math.ceil(at - time.time())) + 60):
        _enqueue("time", at)


def _enqueue(reason, at):
    queued = warm_pages
    if at is not None and at > time.time():
        queued = warm_pages.using(run_after=datetime.fromtimestamp(at, tz=UTC))
    queued.enqueue(reason)


_failing = set()


def _failed(error):
    """Log once until queueing works again, by the error's class only."""
    if not _failing:
        logger.warning(
            "A warm-up of the page cache could not be queued (%s): pages are cached "
            "as visitors ask for them.",
            type(error).__name__,
        )
    _failing.add(type(error).__name__)


@task(backend="emails", priority=PRIORITY)
def warm_pages(reason="change"):
    """Render the pages visitors read most into the cache. `reason`: "change" (queued
    by a change) or "time" (queued for the moment a page changes by itself)."""
    if reason == "change":
        cache.delete(QUEUED_KEY)  # changes from now on need another warm-up
    if not cache.add(STARTED_KEY, time.time(), timeout=MIN_INTERVAL):
        queue_after_change()  # one started less than a minute ago: follow it
        return {"deferred": True}
    began = time.monotonic()
    warmed = warm(public_paths(pages_to_warm()))
    if warmed and not any(page.stored for page in warmed):
        logger.warning(
            "The warm-up stored none of its %s pages (answers: %s): is WAGTAILADMIN_BASE_URL "
            "the site's public address, its host in ALLOWED_HOSTS?",
            len(warmed),
            ", ".join(sorted({str(page.status) for page in warmed})),
        )
    try:
        _queue_at_next_change(warmed)
    except Exception as error:  # noqa: BLE001 - the pages are warm; the next change tries
        _failed(error)
    return {
        "pages": len(warmed),
        "stored": sum(page.stored for page in warmed),
        "seconds": round(time.monotonic() - began, 3),
    }
