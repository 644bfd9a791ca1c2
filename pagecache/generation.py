"""The cache's generation: a counter that any content change increments. Every
entry of the page cache (and of other caches of rendered parts, such as the site
chrome) records the generation it was made under; an entry of another generation is
a miss, so one increment makes everything stored unreachable at once, on every app
server sharing the cache (Redis in production)."""

import secrets

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "page-cache:generation"


def new_series():
    # A random start, so that entries stored before the counter was lost (evicted,
    # cache restarted) can never match it again.
    cache.add(GENERATION_KEY, secrets.randbelow(2**48), timeout=None)


def generation():
    """The current generation: anything cached under it is still true."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        new_series()
        value = cache.get(GENERATION_KEY)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): start a new series
        new_series()


def invalidate():
    """Drop every cached page, now and again once the current transaction commits.

    Now, so that the change is visible at once in this process (and in tests, whose
    transactions never commit); after the commit too, because a page rendered by
    another request between the two would otherwise be stored with the old content.
    """
    _bump()
    transaction.on_commit(_bump)


# --- Counters of their own, for what only some pages show -----------------------
# A page that shows something visitors change often (an event's places left) says so
# while it renders (pagecache.lifetime.depends_on): its entry then also records that
# thing's counter, and `changed` makes that entry, and no other, unreachable.


def counter_key(name):
    return f"page-cache:counter:{name}"


def counter(name):
    """The current value of the counter `name` (started at random when missing)."""
    key = counter_key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.randbelow(2**48), timeout=None)
        value = cache.get(key)
    return value


def _bump_counter(name):
    try:
        cache.incr(counter_key(name))
    except ValueError:  # not set yet (or evicted): the pages that showed it miss too
        cache.add(counter_key(name), secrets.randbelow(2**48), timeout=None)


def invalidate_counter(name):
    """Drop the cached pages that depend on `name`, now and after the commit (see
    `invalidate`)."""
    _bump_counter(name)
    transaction.on_commit(lambda: _bump_counter(name))
