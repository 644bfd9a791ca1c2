"""Delete event registrations some months after their event (personal data we
no longer need): EVENTS_REGISTRATION_RETENTION_MONTHS, 12 by default."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from wagtail.models import Locale

from events.models import EventPage, EventPlaces, Registration
from privacy.purging import PurgeCommand

DAYS_PER_MONTH = 30.44


def retention_cutoff(now):
    months = settings.EVENTS_REGISTRATION_RETENTION_MONTHS
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


def expired_registrations(now):
    """Registrations for events that ended before the cutoff, and for events whose
    pages are gone, once the registration itself is older than the cutoff. An
    event whose date is still to be announced keeps its registrations."""
    cutoff = retention_cutoff(now)
    over = (
        EventPage.objects.filter(locale=Locale.get_default())
        .annotate(last_day=Coalesce("end", "start"))
        .filter(last_day__lt=cutoff)
        .values("translation_key")
    )
    pages = EventPage.objects.values("translation_key")
    orphaned = EventPlaces.objects.exclude(event_key__in=pages).values("pk")
    return Registration.objects.filter(
        Q(places__event_key__in=over) | Q(places__in=orphaned, created_at__lt=cutoff)
    )


class Command(PurgeCommand):
    help = (
        "Delete event registrations EVENTS_REGISTRATION_RETENTION_MONTHS months after "
        "their event. Meant to run once a day (for example from cron: "
        "`manage.py purge_registrations`); --dry-run only counts."
    )

    @property
    def summary(self):
        months = settings.EVENTS_REGISTRATION_RETENTION_MONTHS
        return f"{{registrations}} registration(s) for events over more than {months} months ago."

    def expired(self, now):
        return {"registrations": expired_registrations(now)}
