"""The events index: upcoming events and open calls apart from past ones, filtered
by country and kind, each list paginated; and the latest events on the home page."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from events.models.call import CallPage
from events.models.event import EventPage
from events.models.schedule import (
    closed_call_q,
    first_to_leave,
    next_listing_change,
    open_call_q,
    past_event_q,
    upcoming_event_q,
)
from home.blocks import TEXT_FEATURES
from home.i18n import alphabetical_key
from home.models import BasePage, CountryPage
from home.models.base import HOME_SECTION_ITEMS, paginate, public
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

    def get_upcoming_events(self):
        """Events not yet over, soonest first; those whose date is to be announced last."""
        return (
            self._events()
            .filter(upcoming_event_q(timezone.now()))
            .order_by(models.F("start").asc(nulls_last=True), "title")
        )

    def get_past_events(self):
        return self._events().filter(past_event_q(timezone.now())).order_by("-start")

    def home_section_items(self):
        """Upcoming events first; the latest past ones while none is announced."""
        upcoming = list(self.get_upcoming_events()[:HOME_SECTION_ITEMS])
        # The list changes when one of these passes (past events stay past).
        changes_at(first_to_leave(upcoming))
        return upcoming or self.get_past_events()[:HOME_SECTION_ITEMS]

    def get_context(self, request, *args, **kwargs):
        """Upcoming and past events and calls, each list paginated, filtered by the
        `country` (ISO code) and `kind` GET parameters; unknown values are ignored."""
        context = super().get_context(request, *args, **kwargs)
        children = visible_children(self)
        # Both lists change when an event passes or a call closes, whatever the filters.
        changes_at(lambda: next_listing_change(children))
        countries = filter_countries(children, self.locale_id)
        country = request.GET.get("country", "").upper()
        if country not in {str(page.country) for page in countries}:
            country = ""
        kind = request.GET.get("kind", "")
        if kind not in dict(KIND_CHOICES):
            kind = ""
        filters = {"kind": kind or None, "country": country or None}
        upcoming = paginate(request, events_and_calls(children, upcoming=True, **filters))
        past = paginate(
            request,
            events_and_calls(children, upcoming=False, **filters),
            param="past_page",
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
