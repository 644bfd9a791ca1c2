"""Which events and calls are upcoming or past, as query conditions.

An event stays upcoming until it ends: its end time, or the end of its (last) day
for a "date only" event or one without an end, in Brussels time. An event whose
date is to be announced is upcoming. A call is upcoming while it is open: no
deadline, or a deadline not yet passed. `prefix` reaches the fields from another
model (e.g. "eventpage__" from Page).

The moments these answers change at (`leaves_upcoming`, `next_listing_change`) tell
the page cache how long a page listing them stays true (pagecache.lifetime).
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Min, Q
from django.utils import timezone

from events.models.calendar_entry import with_calendar_entries

BRUSSELS = ZoneInfo("Europe/Brussels")


def start_of_today(now):
    return timezone.localtime(now, BRUSSELS).replace(hour=0, minute=0, second=0, microsecond=0)


def next_midnight(moment):
    """The first Brussels midnight after `moment`, when events of one day pass."""
    day = timezone.localtime(moment, BRUSSELS).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=BRUSSELS)


def leaves_upcoming(event):
    """The moment the event becomes past (see past_event_q), or None for an event
    whose date is to be announced."""
    if event.date_to_be_announced or event.start is None:
        return None
    if event.end and not event.all_day:
        return event.end
    return next_midnight(event.end or event.start)


def first_to_leave(events):
    """The first moment one of `events` becomes past (None: never)."""
    return min(filter(None, map(leaves_upcoming, events)), default=None)


def next_listing_change(pages, now=None):
    """The next moment an event among `pages` (a Page queryset) leaves the upcoming
    list, or a call among them closes: the first end or deadline to come, and the
    next midnight at the latest (events of one day, or without an end, pass at
    midnight). One query."""
    now = now or timezone.now()
    return first_listing_change(pages.aggregate(**listing_changes(now)), now)


def listing_changes(now):
    """The aggregates of a Page queryset that `first_listing_change` reads."""
    return {
        "end": Min("eventpage__end", filter=Q(eventpage__end__gte=now, eventpage__all_day=False)),
        "deadline": Min("callpage__deadline", filter=Q(callpage__deadline__gte=now)),
    }


def first_listing_change(found, now):
    """next_listing_change from the aggregates of `listing_changes(now)`."""
    return min(filter(None, (found["end"], found["deadline"], next_midnight(now))))


def upcoming_event_q(now, prefix="", today=None):
    """Events not over at `now` (`today`: the start of its day in Brussels, when
    known already)."""
    today = today or start_of_today(now)
    return (
        Q(**{f"{prefix}start__isnull": True})
        | Q(**{f"{prefix}date_to_be_announced": True})
        | Q(**{f"{prefix}end__gte": now})
        | Q(**{f"{prefix}all_day": True, f"{prefix}end__gte": today})
        | Q(**{f"{prefix}end__isnull": True, f"{prefix}start__gte": today})
    )


def past_event_q(now, prefix="", today=None):
    """Events over at `now`: exactly those with a date that upcoming_event_q leaves out."""
    today = today or start_of_today(now)
    over = (
        Q(**{f"{prefix}end__isnull": True, f"{prefix}start__lt": today})
        | Q(**{f"{prefix}all_day": False, f"{prefix}end__lt": now})
        | Q(**{f"{prefix}all_day": True, f"{prefix}end__lt": today})
    )
    return Q(**{f"{prefix}start__isnull": False, f"{prefix}date_to_be_announced": False}) & over


def open_call_q(now, prefix=""):
    return Q(**{f"{prefix}deadline__isnull": True}) | Q(**{f"{prefix}deadline__gte": now})


def closed_call_q(now, prefix=""):
    return Q(**{f"{prefix}deadline__lt": now})


def upcoming_calendar_events(queryset, now=None):
    """The events of an EventPage `queryset` that belong in a calendar feed: upcoming
    and dated, soonest first, with what the feed reads (locale) fetched at once."""
    now = now or timezone.now()
    events = (
        queryset.live()
        .public()
        .filter(upcoming_event_q(now), start__isnull=False, date_to_be_announced=False)
        .select_related("locale")
        .defer_streamfields()
        .order_by("start", "pk")
    )
    return with_calendar_entries(events)
