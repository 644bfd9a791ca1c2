"""Calendar files under /<language>/events/: one event's .ics, and feeds of upcoming
events for a language and for a country. Events without a date are left out (a
calendar entry needs a start), and asking for one's file is a 404."""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from events.calendar import event_calendar, events_calendar, has_calendar_date
from events.models import EventPage
from events.models.schedule import first_to_leave, upcoming_calendar_events
from home.models import CountryPage
from pagecache.decorators import cache_public
from pagecache.lifetime import changes_at

# Feeds are fetched by calendar apps every hour or so; a few minutes of caching
# (browsers, the CDN) keeps them cheap without hiding a change for long.
MAX_AGE = 300
ISO_CODE = re.compile(r"[A-Z]{2}")
# The largest id a database integer holds.
MAX_PAGE_ID = 2**63 - 1


def _response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _events(locale):
    return EventPage.objects.filter(locale=locale)


def _feed_events(events):
    """The upcoming events of `events` for a feed, which changes when one passes."""
    events = list(upcoming_calendar_events(events))
    changes_at(first_to_leave(events))
    return events


@require_safe
@cache_public
def event_ics(request, page_id):
    """The .ics file of one live, public event in the active language."""
    if page_id > MAX_PAGE_ID:  # SQLite raises OverflowError on such a number
        raise Http404("No such event.")
    page = get_object_or_404(
        EventPage.objects.live().public().select_related("locale"),
        pk=page_id,
        locale=Locale.get_active(),
    )
    page.take_source_settings()  # the date set on the English page holds at once
    if not has_calendar_date(page):
        raise Http404("This event has no date yet.")
    return _response(event_calendar(page, request=request), f"{page.slug}.ics")


@require_safe
@cache_public
def language_feed(request):
    """Upcoming events in the active language."""
    locale = Locale.get_active()
    name = _("Diaspora Engagement: events")
    events = _feed_events(_events(locale))
    content = events_calendar(events, name=name, language=locale.language_code, request=request)
    return _response(content, f"events-{locale.language_code}.ics")


@require_safe
@cache_public
def country_feed(request, country_code):
    """Upcoming events about one country (its ISO code), in the active language."""
    code = country_code.upper()
    if not ISO_CODE.fullmatch(code):
        raise Http404("No such country.")
    locale = Locale.get_active()
    country = CountryPage.objects.live().public().filter(locale=locale, country=code).first()
    if country is None:
        raise Http404("No such country.")
    name = _("Diaspora Engagement: events – %(country)s") % {"country": country.title}
    # Events point at the English country page: match any page with this code.
    about_country = EventPage.objects.filter(countries__country=code).values("pk")
    events = _feed_events(_events(locale).filter(pk__in=about_country))
    content = events_calendar(events, name=name, language=locale.language_code, request=request)
    return _response(content, f"events-{code.lower()}-{locale.language_code}.ics")
