"""Events and calls at chosen dates, published in English and, when asked, in French
and Dutch (real translations with their own titles), for calendar and index tests."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from events.models import CallPage, EventIndexPage, EventPage
from home.models import CountryPage

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels(days_from_now, hour=0, minute=0):
    """A Brussels time `days_from_now` days from today, at hour:minute."""
    day = timezone.localdate(timezone.now(), BRUSSELS) + datetime.timedelta(days=days_from_now)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


def english_country(code):
    return CountryPage.objects.get(country=code, locale=Locale.get_default())


def _publish(page, countries, translations):
    index = EventIndexPage.objects.get(locale=Locale.get_default())
    page.slug = page.slug or slugify(page.title)[:80]
    page.countries = [english_country(code) for code in countries]
    index.add_child(instance=page)
    page.save_revision().publish()
    versions = {"en": type(page).objects.get(pk=page.pk)}
    for code, title in (translations or {}).items():
        copy = page.copy_for_translation(Locale.objects.get(language_code=code))
        copy.title = title
        copy.save_revision().publish()
        versions[code] = type(page).objects.get(pk=copy.pk)
    return versions


def make_event(title, start=None, *, end=None, countries=(), translations=None, **fields):
    """Versions of a new event by language code; `start` None: date to be announced."""
    event = EventPage(
        title=title,
        introduction=f"What {title} is about.",
        start=start,
        end=end,
        date_to_be_announced=start is None,
        **fields,
    )
    return _publish(event, countries, translations)


def make_call(title, deadline=None, *, countries=(), translations=None):
    call = CallPage(title=title, introduction=f"What {title} asks for.", deadline=deadline)
    return _publish(call, countries, translations)
