"""Keep an event's places, and what calendar apps are told, in line with its
published English page, and its cached pages in line with its registrations."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale
from wagtail.signals import page_published

from events import registering
from events.models import CalendarEntry, EventPage, EventPlaces, Registration
from events.models.registration import places_counter
from pagecache.cdn import schedule_translation_purge
from pagecache.generation import invalidate_counter


def _event_published(sender, instance, **kwargs):
    # Only the source page decides: the French and Dutch pages copy its
    # capacity and dates, and their publication must not act a second time.
    if instance.locale_id == Locale.get_default().pk:
        CalendarEntry.objects.record(instance)
        registering.event_published(instance)


def _registration_changed(sender, instance, **kwargs):
    """Someone registered, cancelled or was promoted: the places left change on the
    event's pages, in every language, and on no other page. Those leave the page
    cache (and the CDN), the rest of the site stays cached."""
    if Registration.places.is_cached(instance):
        event_key = instance.places.event_key
    else:
        event_key = (
            EventPlaces.objects.filter(pk=instance.places_id)
            .values_list("event_key", flat=True)
            .first()
        )
    if event_key is not None:
        invalidate_counter(places_counter(event_key))
        schedule_translation_purge(event_key)


def connect():
    page_published.connect(_event_published, sender=EventPage, dispatch_uid="events-places")
    for signal in (post_save, post_delete):
        signal.connect(_registration_changed, sender=Registration, dispatch_uid="events-cache")
