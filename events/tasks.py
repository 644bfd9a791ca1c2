"""Emails to everyone registered for an event, sent by the task worker
(`manage.py db_worker --backend background`), not in the editor's request.

Addresses erased on request (on the suppression list, privacy.suppression) are
skipped: these emails are sent by staff, not asked for by the person. A newsletter
opt-out (also on the list) does not stop the emails of an event the person
registered for."""

import logging

from django.tasks import task

from events.models import Registration
from events.registration_emails import send_to_each
from privacy.suppression import Reason, Suppressed

logger = logging.getLogger(__name__)

Status = Registration.Status


def _registered(event_key, statuses):
    registrations = (
        Registration.objects.filter(places__event_key=event_key, status__in=statuses)
        .select_related("places")
        .order_by("created_at", "pk")
    )
    suppressed = Suppressed(reasons=[Reason.ERASED])
    return [registration for registration in registrations if registration.email not in suppressed]


@task(backend="background")
def announce_date(event_key):
    """The event's date is set (or moved): those with a place get it with the
    calendar file, those waiting get it too, so they can plan."""
    sent, failed = send_to_each(
        _registered(event_key, [Status.CONFIRMED, Status.WAITLISTED]),
        "date_announced",
        stamp="date_sent_at",
    )
    logger.info("Event date announced: %s sent, %s failed", sent, failed)
    return {"sent": sent, "failed": failed}


@task(backend="background")
def send_reminders(event_key, note=""):
    """A reminder, with staff's note, to everyone who has a place."""
    sent, failed = send_to_each(
        _registered(event_key, [Status.CONFIRMED]), "reminder", note=note, stamp="reminded_at"
    )
    logger.info("Event reminders: %s sent, %s failed", sent, failed)
    return {"sent": sent, "failed": failed}
