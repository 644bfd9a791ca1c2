"""Bounces and spam complaints reported by the email service, through
django-anymail's tracking webhooks (`/anymail/<esp>/tracking/`, see site/urls.py).

A hard bounce marks the subscriber `bounced`, a complaint `complained`; either way
no further issue goes to them (only `confirmed` subscribers receive issues),
`status_changed_at` records when, and the address goes on the suppression list
with the reason, where it outlives the row (subscriptions.record_opt_out).
Everything else anymail reports (delivered, opened, deferred, soft bounces…)
changes nothing.

anymail normalises each service's events, but several services (Postmark, Brevo,
Mandrill, MailerSend, Amazon SES) report a temporary failure ("soft bounce") as
`bounced` too; `is_soft_bounce` reads their own field to tell. A full mailbox must
not remove a reader from the list.

Without an email service (plain SMTP), reports come back by mail instead:
`manage.py process_mail` reads them and calls `mark` (incoming_mail.py). The webhook URLs are
always mounted, but events are acted on only when ANYMAIL["WEBHOOK_SECRET"] is
set, so that an unprotected endpoint cannot be used to remove people from the list.
"""

import logging

from anymail.signals import EventType
from anymail.utils import get_anymail_setting
from django.utils import timezone

from newsletter.models import Subscriber
from newsletter.subscriptions import record_opt_out

logger = logging.getLogger(__name__)

# A complaint outranks a bounce: a bounced address that complains becomes
# `complained`, never the other way round.
KEEP = {
    Subscriber.Status.BOUNCED: {Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED},
    Subscriber.Status.COMPLAINED: {Subscriber.Status.COMPLAINED},
}


def is_soft_bounce(event, esp_name):
    """Whether a `bounced` event is in fact a temporary failure, read from the
    service's own payload where anymail reports both kinds as `bounced`."""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    esp = (esp_name or "").lower().replace(" ", "")
    if esp == "postmark":
        return raw.get("Type") == "SoftBounce"
    if esp in ("brevo", "sendinblue", "mandrill"):
        return raw.get("event") == "soft_bounce"
    if esp == "mailersend":
        return (raw.get("data") or {}).get("type") == "soft_bounced"
    if esp == "amazonses":
        return (raw.get("bounce") or {}).get("bounceType") != "Permanent"
    return False


def new_status(event, esp_name):
    if event.event_type == EventType.COMPLAINED:
        return Subscriber.Status.COMPLAINED
    if event.event_type == EventType.BOUNCED and not is_soft_bounce(event, esp_name):
        return Subscriber.Status.BOUNCED
    return None


def handle_tracking(sender, event, esp_name, **kwargs):
    """Receiver of anymail's `tracking` signal (connected in apps.py)."""
    status = new_status(event, esp_name)
    if status is None:
        return
    if not get_anymail_setting("webhook_secret", default=None):
        logger.warning(
            "Ignored a %s event from %s: ANYMAIL['WEBHOOK_SECRET'] is not set",
            event.event_type,
            esp_name,
        )
        return
    email = (event.recipient or "").strip().lower()
    subscriber = (
        Subscriber.objects.filter(email=email).only("pk", "email").first() if email else None
    )
    if subscriber is not None:
        mark(subscriber.pk, status, f"{esp_name} event")


def mark(subscriber_id, status, source):
    """Mark a subscriber `bounced` or `complained` (a complaint outranks a bounce)
    and put the address on the suppression list. Also used for the reports that
    arrive by mail (incoming_mail.py). Returns whether the status changed."""
    changed = (
        Subscriber.objects.filter(pk=subscriber_id)
        .exclude(status__in=KEEP[status])
        .update(status=status, status_changed_at=timezone.now())
    )
    if changed:
        subscriber = Subscriber.objects.only("pk", "email", "status").get(pk=subscriber_id)
        record_opt_out(subscriber)
        # The id, never the address.
        logger.info("Subscriber %s marked %s (%s)", subscriber_id, status, source)
    return bool(changed)
