"""Keep an event's places, and what calendar apps are told, in line with its
published English page."""

from wagtail.models import Locale
from wagtail.signals import page_published

from events import registering
from events.models import CalendarEntry, EventPage


def _event_published(sender, instance, **kwargs):
    # Only the source page decides: the French and Dutch pages copy its
    # capacity and dates, and their publication must not act a second time.
    if instance.locale_id == Locale.get_default().pk:
        CalendarEntry.objects.record(instance)
        registering.event_published(instance)


def connect():
    page_published.connect(_event_published, sender=EventPage, dispatch_uid="events-places")
