"""Delete event registrations some months after their event (personal data we
no longer need): EVENTS_REGISTRATION_RETENTION_MONTHS, 12 by default."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Locale

from events.models import EventPage, EventPlaces, Registration

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


class Command(BaseCommand):
    help = (
        "Delete event registrations EVENTS_REGISTRATION_RETENTION_MONTHS months after "
        "their event. Meant to run once a day (for example from cron: "
        "`manage.py purge_registrations`); --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            expired = expired_registrations(timezone.now())
            count = expired.count()
            if not dry_run:
                expired.delete()
        verb = "Would delete" if dry_run else "Deleted"
        months = settings.EVENTS_REGISTRATION_RETENTION_MONTHS
        self.stdout.write(
            f"{verb} {count} registration(s) for events over more than {months} months ago."
        )
