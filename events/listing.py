"""Which events and calls are upcoming or past, and the event index's filters.

An event stays upcoming until it ends: its end time, or the end of its (last) day
for a "date only" event or one without an end, in Brussels time. An event whose
date is to be announced is upcoming. A call is upcoming while it is open: no
deadline, or a deadline not yet passed.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from events.calendar import BRUSSELS
from home.i18n import alphabetical_key
from home.models import CountryPage
from home.models.base import public

KIND_CHOICES = [("event", _("Events")), ("call", _("Calls for cooperation"))]


def start_of_today(now):
    return timezone.localtime(now, BRUSSELS).replace(hour=0, minute=0, second=0, microsecond=0)


def upcoming_event_q(now, prefix=""):
    """Events not over at `now`; `prefix` reaches the EventPage fields from another
    model (e.g. "eventpage__" from Page)."""
    today = start_of_today(now)
    return (
        Q(**{f"{prefix}start__isnull": True})
        | Q(**{f"{prefix}date_to_be_announced": True})
        | Q(**{f"{prefix}end__gte": now})
        | Q(**{f"{prefix}all_day": True, f"{prefix}end__gte": today})
        | Q(**{f"{prefix}end__isnull": True, f"{prefix}start__gte": today})
    )


def past_event_q(now, prefix=""):
    """Events over at `now`: exactly those with a date that upcoming_event_q leaves out."""
    today = start_of_today(now)
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
    return (
        queryset.live()
        .public()
        .filter(upcoming_event_q(now), start__isnull=False, date_to_be_announced=False)
        .select_related("locale")
        .defer_streamfields()
        .order_by("start", "pk")
    )


def visible_children(index):
    """The live, public pages under `index`: what the index lists."""
    return public(Page.objects.child_of(index).live())


def events_and_calls(children, *, upcoming, kind=None, country=None, now=None):
    """The events and calls among `children` (see visible_children), upcoming
    (soonest first, undated last) or past (latest first), as generic pages: pass
    the ones shown to `specific_pages`.

    A call's date is its deadline. `kind` is "event", "call" or None for both;
    `country` an ISO code or None.
    """
    from events.models import CallPage, EventPage

    now = now or timezone.now()
    event_type = ContentType.objects.get_for_model(EventPage)
    call_type = ContentType.objects.get_for_model(CallPage)
    if upcoming:
        when = Q(content_type=event_type) & upcoming_event_q(now, "eventpage__")
        when |= Q(content_type=call_type) & open_call_q(now, "callpage__")
        order = [F("listing_date").asc(nulls_last=True), "title", "pk"]
    else:
        when = Q(content_type=event_type) & past_event_q(now, "eventpage__")
        when |= Q(content_type=call_type) & closed_call_q(now, "callpage__")
        order = [F("listing_date").desc(nulls_last=True), "title", "pk"]
    pages = children.filter(when)
    if kind == "event":
        pages = pages.filter(content_type=event_type)
    elif kind == "call":
        pages = pages.filter(content_type=call_type)
    if country:
        pages = pages.filter(
            Q(pk__in=EventPage.objects.filter(countries__country=country).values("pk"))
            | Q(pk__in=CallPage.objects.filter(countries__country=country).values("pk"))
        )
    return pages.annotate(listing_date=Coalesce("eventpage__start", "callpage__deadline")).order_by(
        *order
    )


def specific_pages(*page_lists):
    """Replace the generic pages of each list (a list, or a paginator's page) by the
    specific ones, with their listing images: one query per page type for all the
    lists together (`.specific()` on each list would cost one per type per list).
    """
    generic = [page for pages in page_lists for page in pages]
    by_type = {}
    for page in generic:
        by_type.setdefault(page.specific_class, []).append(page.pk)
    found = {}
    for model, ids in by_type.items():
        found.update(
            model.objects.filter(pk__in=ids)
            .select_related("listing_image")
            .defer_streamfields()
            .in_bulk()
        )
    for pages in page_lists:
        pages.object_list = [found.get(page.pk, page) for page in pages]
    return page_lists


def filter_countries(children, locale_id):
    """The country pages, in the locale `locale_id` and in alphabetical order, that
    the events and calls among `children` are about (they point at the English
    pages, so the match is by ISO code)."""
    children = children.values("pk")
    codes = CountryPage.objects.filter(Q(events__in=children) | Q(calls__in=children)).values(
        "country"
    )
    countries = CountryPage.objects.live().filter(locale_id=locale_id)
    countries = countries.filter(country__in=codes)
    return sorted(countries, key=lambda page: alphabetical_key(page.title))
