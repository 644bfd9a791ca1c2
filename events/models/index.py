"""The events index: upcoming events and open calls apart from past ones, filtered
by country and kind, each list paginated; and the latest events on the home page."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from events.models.call import CallPage
from events.models.event import EventPage
from events.models.schedule import (
    closed_call_q,
    first_listing_change,
    first_to_leave,
    listing_changes,
    open_call_q,
    past_event_q,
    start_of_today,
    upcoming_event_q,
)
from home.blocks import TEXT_FEATURES
from home.i18n import alphabetical_key
from home.models import BasePage, CountryPage
from home.models.base import HOME_SECTION_ITEMS, paginate, public
from home.prepared import PreparedListing, prepared, summarised
from pagecache.lifetime import changes_at

KIND_CHOICES = [("event", _("Events")), ("call", _("Calls for cooperation"))]


class EventIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage", "events.CallPage"]
    max_count_per_parent = 1
    template = "pages/events/event_index_page.html"

    class Meta:
        verbose_name = _("event index page")

    def _events(self):
        return EventPage.objects.child_of(self).live().public().with_listing_images()

    def get_upcoming_events(self, now, today):
        """Events not yet over, soonest first; those whose date is to be announced last
        (`today`: the start of `now`'s day in Brussels)."""
        return (
            self._events()
            .filter(upcoming_event_q(now, today=today))
            .order_by(models.F("start").asc(nulls_last=True), "title")
        )

    def get_past_events(self, now, today):
        return self._events().filter(past_event_q(now, today=today)).order_by("-start")

    home_section_order = 30  # after the newsletter and stories (home.HomePage.get_sections)

    def home_section_items(self):
        """Upcoming events first; the latest past ones while none is announced."""
        moments = _moments()
        upcoming = list(
            prepared(
                ("event index: upcoming on home", self.pk, self.path),
                lambda **moments: self.get_upcoming_events(**moments)[:HOME_SECTION_ITEMS],
                **moments,
            )
        )
        # The list changes when one of these passes (past events stay past).
        changes_at(first_to_leave(upcoming))
        return upcoming or prepared(
            ("event index: past on home", self.pk, self.path),
            lambda **moments: self.get_past_events(**moments)[:HOME_SECTION_ITEMS],
            **moments,
        )

    def get_context(self, request, *args, **kwargs):
        """Upcoming and past events and calls, each list paginated, filtered by the
        `country` (ISO code) and `kind` GET parameters; unknown values are ignored."""
        context = super().get_context(request, *args, **kwargs)
        moments = _moments()
        # Both lists change when an event passes or a call closes, whatever the filters.
        changes_at(lambda: next_change(self, moments["now"]))
        countries = filter_countries(self)
        country = request.GET.get("country", "").upper()
        if country not in {str(page.country) for page in countries}:
            country = ""
        kind = request.GET.get("kind", "")
        if kind not in dict(KIND_CHOICES):
            kind = ""
        filters = {"kind": kind or None, "country": country or None}
        upcoming = paginate(request, listing(self, upcoming=True, **filters, **moments))
        past = paginate(
            request, listing(self, upcoming=False, **filters, **moments), param="past_page"
        )
        specific_pages(upcoming, past)
        context.update(
            upcoming=upcoming,
            past=past,
            countries=countries,
            kinds=KIND_CHOICES,
            current_country=country,
            current_kind=kind,
            filtered=bool(country or kind),
        )
        return context


def _moments():
    now = timezone.now()
    return {"now": now, "today": start_of_today(now)}


def visible_children(index):
    """The live, public pages under `index`: what the index lists."""
    return public(Page.objects.child_of(index).live())


def next_change(index, now):
    """`next_listing_change` of the pages under `index`, its SQL prepared."""

    def build(now):
        return summarised(visible_children(index), **listing_changes(now))

    (found,) = prepared(("event index: next change", index.pk, index.path), build, now=now)
    return first_listing_change(found, now)


def events_and_calls(children, *, upcoming, kind=None, country=None, now=None, today=None):
    """The events and calls among `children` (see visible_children), upcoming
    (soonest first, undated last) or past (latest first), as generic pages, each
    with its specific page and listing image in the same row: pass the ones shown
    to `specific_pages`.

    A call's date is its deadline. `kind` is "event", "call" or None for both;
    `country` an ISO code or None; `today` the start of `now`'s day in Brussels.
    """
    now = now or timezone.now()
    event_type, call_type = _content_types()
    if upcoming:
        when = Q(content_type=event_type) & upcoming_event_q(now, "eventpage__", today)
        when |= Q(content_type=call_type) & open_call_q(now, "callpage__")
        order = [F("listing_date").asc(nulls_last=True), "title", "pk"]
    else:
        when = Q(content_type=event_type) & past_event_q(now, "eventpage__", today)
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
    return (
        pages.annotate(listing_date=Coalesce("eventpage__start", "callpage__deadline"))
        .select_related(*(f"{name}__listing_image" for name in SPECIFIC))
        .defer(*_stream_fields())
        .order_by(*order)
    )


def listing(index, *, upcoming, kind, country, now, today):
    """`events_and_calls` of the pages under `index`, for a paginator, prepared."""
    key = ("event index: listing", index.pk, index.path, _content_types(), upcoming, kind, country)

    def build(now, today):
        children = visible_children(index)
        return events_and_calls(
            children, upcoming=upcoming, kind=kind, country=country, now=now, today=today
        )

    return PreparedListing(key, build, now=now, today=today)


# The specific page of an event or a call, from the generic page.
SPECIFIC = {"eventpage": EventPage, "callpage": CallPage}


def _content_types():
    return tuple(ContentType.objects.get_for_model(model).pk for model in SPECIFIC.values())


def _stream_fields():
    """The stream fields of the specific pages, which no card shows."""
    return [
        f"{name}__{field.name}"
        for name, model in SPECIFIC.items()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]


def specific_pages(*page_lists):
    """Replace the generic pages of each list (a list, or a paginator's page) by the
    specific ones `events_and_calls` fetched in the same rows: no query."""
    for pages in page_lists:
        pages.object_list = [_specific(page) for page in pages]
    return page_lists


def _specific(page):
    for name in SPECIFIC:
        specific = page._state.fields_cache.get(name)
        if specific is not None:
            return specific
    return page


def filter_countries(index):
    """The country pages, in the locale of `index` and in alphabetical order, that
    the events and calls under it are about (they point at the English pages, so
    the match is by ISO code)."""

    def build():
        children = visible_children(index).values("pk")
        codes = CountryPage.objects.filter(Q(events__in=children) | Q(calls__in=children))
        countries = CountryPage.objects.live().filter(locale_id=index.locale_id)
        countries = countries.filter(country__in=codes.values("country"))
        return countries.only("title", "country")

    key = ("event index: countries", index.pk, index.path, index.locale_id)
    return sorted(prepared(key, build), key=lambda page: alphabetical_key(page.title))
