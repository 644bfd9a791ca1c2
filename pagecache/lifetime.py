"""How long a rendered page stays true, as the page itself says while it renders.

The page cache stores a response for PAGE_CACHE_SECONDS at most. Some pages change
at a known time without anyone saving anything: an event's registration closes, an
event leaves the upcoming list, a call's deadline passes. And some show what
visitors change (an event's places left). While it renders, a page (its
`get_context`, a template tag, a method its template calls) declares

- `changes_at(moment)`: what it shows changes at `moment` (the earliest future
  moment among what it shows). The cache entry, and the `s-maxage` the CDN gets,
  last until then at most;
- `depends_on(name)`: what it shows changes with the counter `name`, which
  `pagecache.generation.invalidate_counter(name)` increments.

The middleware collects the declarations of the response it renders; outside a
request the page cache stores (the cache off, a management command, the admin) they
cost nothing: a callable given to `changes_at` is not even called. pagecache knows
no page type: the apps declare. See docs/caching-and-forms.md.
"""

import contextlib
import math
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils import timezone

from pagecache.generation import counter


@dataclass
class Declarations:
    """What the response being rendered declared."""

    changes_at: object = None  # an aware datetime, or None: only its maximum lifetime
    counters: dict = field(default_factory=dict)  # {name: value when it was read}

    def seconds_left(self, maximum, now):
        """The entry's lifetime: `maximum`, or less when the page changes sooner (at
        least a second: the moment has come, and the next request renders anew)."""
        if self.changes_at is None:
            return maximum
        return max(1, min(maximum, math.ceil((self.changes_at - now).total_seconds())))


_collecting = ContextVar("page_cache_declarations", default=None)


@contextlib.contextmanager
def collecting():
    """Collect the declarations of what renders inside (pagecache.middleware)."""
    declarations = Declarations()
    token = _collecting.set(declarations)
    try:
        yield declarations
    finally:
        _collecting.reset(token)


def changes_at(moment):
    """What is being rendered changes at `moment` (an aware datetime, None, or a
    callable giving one, called only when the response may be cached). Moments
    already past are ignored: what is rendered shows them already."""
    declarations = _collecting.get()
    if declarations is None:
        return
    if callable(moment):
        moment = moment()
    if moment is None or moment < timezone.now():
        return
    if declarations.changes_at is None or moment < declarations.changes_at:
        declarations.changes_at = moment


def depends_on(name):
    """What is being rendered changes whenever the counter `name` is incremented."""
    declarations = _collecting.get()
    if declarations is not None and name not in declarations.counters:
        declarations.counters[name] = counter(name)
