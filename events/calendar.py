"""iCalendar (RFC 5545) files for events: one event (a download, an email
attachment) or a feed of several.

Times are written in Brussels time with a VTIMEZONE (calendar apps then show them
in the reader's own zone); a "date only" event is a whole-day event. The UID comes
from the page's translation key, so the English, French and Dutch files of one
event, and every later edit, describe the same calendar entry. `SEQUENCE` counts
the changes of date, time or place (events/models/calendar_entry.py), so calendar
apps replace the copy they hold.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, Event, Timezone, vDuration

from events.models.calendar_entry import CalendarEntry
from events.models.schedule import BRUSSELS

PRODID = "-//IOM Belgium and Luxembourg//Diaspora Engagement//{language}"
# How often a subscribed calendar app should fetch a feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=1)


class UndatedEventError(ValueError):
    """The event has no start yet ("date to be announced"): RFC 5545 needs one."""


def has_calendar_date(page):
    return page.start is not None and not page.date_to_be_announced


def event_calendar(page, *, method=None, request=None) -> bytes:
    """A VCALENDAR holding the EventPage `page`, in the page's own language.

    `method` (e.g. "PUBLISH") is set when given, for an email attachment; a
    "REQUEST" additionally needs ORGANIZER and ATTENDEE, which this file leaves to
    the caller. `request`, when given, saves the site lookup.
    Raises UndatedEventError for an event without a start.
    """
    if not has_calendar_date(page):
        raise UndatedEventError(f"Event {page.pk} ({page.title!r}) has no start date yet.")
    language = page.locale.language_code
    calendar = _calendar(language, [page], method=method)
    stamp = CalendarEntry.objects.stamps([page]).get(page.translation_key)
    calendar.add_component(_event(page, language, stamp, request=request, method=method))
    return calendar.to_ical()


def events_calendar(pages, *, name, language=None, request=None) -> bytes:
    """A feed named `name` holding the EventPages of `pages` that have a date (the
    others are skipped). `language` defaults to the active one."""
    pages = [page for page in pages if has_calendar_date(page)]
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    calendar = _calendar(language, pages)
    calendar.calendar_name = str(name)
    for prop in ("NAME", "X-WR-CALNAME"):
        calendar[prop].params["LANGUAGE"] = language
    # Widely read hints for subscribed feeds (Google, Apple, Outlook).
    calendar.add("X-WR-TIMEZONE", BRUSSELS.key)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    stamps = CalendarEntry.objects.stamps(pages)
    for page in pages:
        stamp = stamps.get(page.translation_key)
        calendar.add_component(_event(page, page.locale.language_code, stamp, request=request))
    return calendar.to_ical()


def _calendar(language, pages, *, method=None):
    calendar = Calendar()
    calendar.add("PRODID", PRODID.format(language=language.upper()))
    calendar.add("VERSION", "2.0")
    if method:
        calendar.add("METHOD", method.upper())
    # Always present, even in an empty feed or for whole-day events, so that every
    # file names its zone and a feed always holds a component (RFC 5545 asks for one).
    first, last = _zone_years(pages)
    calendar.add_component(Timezone.from_tzid(BRUSSELS.key, first_date=first, last_date=last))
    return calendar


def _zone_years(pages):
    """The span the VTIMEZONE must cover: whole years around the events' dates."""
    moments = [timezone.now()]
    for page in pages:
        moments += [page.start, page.end or page.start]
    years = [timezone.localtime(moment, BRUSSELS).year for moment in moments]
    return datetime.date(min(years), 1, 1), datetime.date(max(years) + 1, 1, 1)


def _event(page, language, stamp, *, request=None, method=None):
    """The VEVENT of `page`; `stamp` is its (sequence, last change of date, time or
    place), or None for an event never published since this was recorded."""
    sequence, schedule_changed = stamp or (0, None)
    url = page.get_full_url(request)
    event = Event()
    event.add("UID", f"{page.translation_key}@{_host(url)}")
    # Without METHOD, DTSTAMP is the time the information last changed (RFC 5545
    # 3.8.7.2): this page's last publication, or the English page's last change of
    # date, time or place if later, so an unchanged event gives the same bytes.
    changed = _last_change(page, schedule_changed)
    event.add("DTSTAMP", timezone.now() if method else changed)
    event.add("LAST-MODIFIED", changed)
    event.add("SEQUENCE", sequence)
    event.add("SUMMARY", page.title, parameters={"LANGUAGE": language})
    start = timezone.localtime(page.start, BRUSSELS)
    end = timezone.localtime(page.end, BRUSSELS) if page.end else None
    if page.all_day:
        # Whole days: DTEND is the day after the last day (RFC 5545 3.6.1).
        event.add("DTSTART", start.date())
        event.add("DTEND", (end or start).date() + datetime.timedelta(days=1))
    else:
        event.add("DTSTART", start)
        if end:
            event.add("DTEND", end)
    location = _location(page)
    if location:
        event.add("LOCATION", location, parameters={"LANGUAGE": language})
    description = "\n\n".join(part for part in (page.introduction.strip(), url) if part)
    if description:
        event.add("DESCRIPTION", description, parameters={"LANGUAGE": language})
    if url:
        event.add("URL", url)
    return event


def _last_change(page, schedule_changed):
    moments = [page.last_published_at, schedule_changed]
    return max((moment for moment in moments if moment), default=None) or timezone.now()


def _location(page):
    place = ", ".join(
        part.strip()
        for part in (page.venue_name, page.venue_address, page.city)
        if part and part.strip()
    )
    return place or page.online_url


def _host(url):
    return urlsplit(url or settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
