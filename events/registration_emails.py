"""The emails a registrant receives, in their language: the answer to their
registration, a note that they were already registered (when someone registers
their address again), a place freed for them, the date of an event that had
none, and the reminder staff send. Each one that confirms a place of a dated event
carries the event as an .ics file."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from events.calendar import event_calendar, has_calendar_date
from events.cancel_links import cancel_token
from events.models import EventPage, Registration
from home.text import one_line

logger = logging.getLogger(__name__)

KINDS = ("registered", "already_registered", "promoted", "date_announced", "reminder")


def _absolute(url):
    """Links in emails use the configured address of the site, never a request's
    Host header (which a client chooses)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def cancel_url(registration):
    with translation.override(registration.language):
        return _absolute(reverse("events:cancel", args=[cancel_token(registration)]))


def registration_message(registration, kind, *, event=None, note=""):
    """The email of `kind` for `registration`, or None when its event has no live
    page any more."""
    event = event or EventPage.for_registrant(registration.places.event_key, registration.language)
    if event is None:
        return None
    confirmed = registration.status == Registration.Status.CONFIRMED
    context = {
        "registration": registration,
        "confirmed": confirmed,
        "event": event,
        "event_url": _absolute(event.get_url()),
        "cancel_url": cancel_url(registration),
        "note": note,
        "position": (
            registration.waitlist_position()
            if registration.status == Registration.Status.WAITLISTED
            else None
        ),
    }
    with translation.override(registration.language), timezone.override(settings.TIME_ZONE):
        subject = render_to_string(f"events/email/{kind}_subject.txt", context)
        body = render_to_string(f"events/email/{kind}_body.txt", context)
    message = EmailMultiAlternatives(
        # A subject is one line: a newline in it would start a new header.
        subject=one_line(subject),
        body=body,
        to=[registration.email],
    )
    if confirmed and has_calendar_date(event):
        filename = f"{slugify(event.title)[:60] or 'event'}.ics"
        message.attach(filename, event_calendar(event, method="PUBLISH"), "text/calendar")
    return message


def send_registration_email(registration, kind, *, connection=None, note=""):
    """Send one email; returns whether it went out. A failure is logged without
    the address (an SMTP error's text can hold it) and does not undo the
    registration: the person sees the answer on the page."""
    message = registration_message(registration, kind, note=note)
    if message is None:
        logger.warning("No live page for the event of registration %s", registration.pk)
        return False
    try:
        if connection is None:
            message.send()
        else:
            connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 - reported without personal data
        logger.warning(
            "The %s email for registration %s failed: %s",
            kind,
            registration.pk,
            type(error).__name__,
        )
        return False
    return True


def send_to_each(registrations, kind, *, note="", stamp=None):
    """Send `kind` to each registration over one connection; `stamp` names a
    date field set on those that went out. Returns (sent, failed)."""
    sent = failed = 0
    with mailers["default"] as connection:
        for registration in registrations:
            if send_registration_email(registration, kind, connection=connection, note=note):
                sent += 1
                if stamp:
                    Registration.objects.filter(pk=registration.pk).update(
                        **{stamp: timezone.now()}
                    )
            else:
                failed += 1
    return sent, failed
