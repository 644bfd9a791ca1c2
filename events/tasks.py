"""Event emails sent by the task workers, never in a request.

Emails to everyone registered for an event go through the "background" queue, in
staff's name: addresses erased on request (on the suppression list,
privacy.suppression) are skipped; a newsletter opt-out (also on the list) does not
stop the emails of an event the person registered for. The email a visitor's
registration or cancellation sets off goes through the "emails" queue, which has a
worker of its own, so that it never waits behind an issue going to the whole list."""

import logging

from django.tasks import task

from events.models import EventPage, Registration
from events.registration_emails import send_registration_email, send_to_each
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


@task(backend="emails")
def email_registrant(registration_id, kind):
    """The answer to a registration ("registered"), or the news of a place freed
    ("promoted"), to one registrant. Takes the id only: the address is read here.
    Nothing goes out for a registration cancelled or erased in the meantime."""
    registration = Registration.objects.filter(pk=registration_id).select_related("places").first()
    if registration is None or registration.status == Status.CANCELLED:
        return {"sent": False}
    return {"sent": send_registration_email(registration, kind)}


@task(backend="emails")
def start_review(page_id):
    """Submit a visitor's event proposal (a draft page) to its moderation workflow,
    as if its organiser had pressed "Submit": Wagtail emails the moderators. No user:
    the organiser has no account (WorkflowState.requested_by is nullable)."""
    page = EventPage.objects.filter(pk=page_id, live=False).first()
    if page is None or page.workflow_in_progress:
        return False
    workflow = page.get_workflow()
    if workflow is None:
        logger.warning("Event proposal %s stored without a moderation workflow.", page_id)
        return False
    workflow.start(page, None)
    return True
