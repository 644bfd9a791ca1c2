"""The cache's generation: a counter that any content change increments. Every
entry of the page cache (and of other caches of rendered parts, such as the site
chrome) records the generation it was made under; an entry of another generation is
a miss, so one increment makes everything stored unreachable at once, on every app
server sharing the cache (Redis in production).

Counters of their own serve what only some pages show: a page that shows something
visitors change often (an event's places left) says so while it renders
(pagecache.lifetime.depends_on); its entry then also records that counter, and
`invalidate_counter` makes that entry, and no other, unreachable.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "page-cache:generation"


def counter_key(name):
    return f"page-cache:counter:{name}"


def _start(key):
    # A random start, so that entries stored before the counter was lost (evicted,
    # cache restarted) can never match it again.
    cache.add(key, secrets.randbelow(2**48), timeout=None)


def _value(key):
    value = cache.get(key)
    if value is None:
        _start(key)
        value = cache.get(key)
    return value


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): start a new series
        _start(key)


def _bump_now_and_after_commit(key):
    """Now, so that the change is visible at once in this process (and in tests, whose
    transactions never commit); after the commit too, because a page rendered by
    another request between the two would otherwise be stored with the old content."""
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def new_series():
    _start(GENERATION_KEY)


def generation():
    """The current generation: anything cached under it is still true."""
    return _value(GENERATION_KEY)


def invalidate():
    """Drop every cached page, now and again once the current transaction commits."""
    _bump_now_and_after_commit(GENERATION_KEY)


def counter(name):
    """The current value of the counter `name`."""
    return _value(counter_key(name))


def invalidate_counter(name):
    """Drop the cached pages that depend on `name`, now and after the commit."""
    _bump_now_and_after_commit(counter_key(name))
