"""Subscribing and unsubscribing: consent text, signed links, the confirmation email.

Links carry the subscriber's id and address, signed with SECRET_KEY under their own
salt, so a link made for one purpose cannot be used for another, and a link keeps
no power over an address that was erased (even if the id is used again).

An erased address (on the suppression list, privacy.suppression) may subscribe
again: the request is the person's own, the confirmation email goes out as for
anyone, and confirming by its link, which proves the person holds the address,
lifts the suppression.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from newsletter.models import Subscriber
from privacy.suppression import lift

logger = logging.getLogger(__name__)

# The consent a subscriber gives, shown next to the form's checkbox. Whenever its
# meaning changes, change CONSENT_TEXT_VERSION too: each subscriber records the
# version they agreed to.
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXT = _(
    "I agree to receive the Diaspora Engagement newsletter by email, and to IOM Belgium "
    "and Luxembourg keeping my email address, language and countries of interest for "
    "that purpose. I can unsubscribe at any time with the link in every email."
)

CONFIRM_SALT = "newsletter.subscription.confirm"
UNSUBSCRIBE_SALT = "newsletter.subscription.unsubscribe"
PREFERENCES_SALT = "newsletter.subscription.preferences"
CONFIRM_MAX_AGE = timedelta(days=7)
# At most one confirmation email per address in this time.
CONFIRMATION_INTERVAL = timedelta(hours=1)


def signed_token(subscriber, salt):
    return signing.dumps([subscriber.pk, subscriber.email], salt=salt)


def subscriber_from_signed_token(token, salt, max_age=None):
    """The subscriber a token was made for, or None if it is forged, expired or
    stale (made for an address since erased)."""
    try:
        pk, email = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscriber.objects.filter(pk=pk, email=email).first()


def confirm_token(subscriber):
    return signed_token(subscriber, CONFIRM_SALT)


def subscriber_from_confirm_token(token):
    return subscriber_from_signed_token(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def unsubscribe_token(subscriber):
    return signed_token(subscriber, UNSUBSCRIBE_SALT)


def subscriber_from_unsubscribe_token(token):
    # No expiry: an unsubscribe link in a years-old email must still work.
    return subscriber_from_signed_token(token, UNSUBSCRIBE_SALT)


def preferences_token(subscriber):
    return signed_token(subscriber, PREFERENCES_SALT)


def subscriber_from_preferences_token(token):
    # No expiry, like the unsubscribe link: it sits in every email.
    return subscriber_from_signed_token(token, PREFERENCES_SALT)


def base_url():
    """Where links in emails point: the configured address of the site, never a
    request's Host header (which a client chooses)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def personal_url(subscriber, name, token):
    """An absolute link in the subscriber's language."""
    with translation.override(subscriber.language):
        path = reverse(name, args=[token])
    return base_url() + path


def confirm_url(subscriber):
    return personal_url(subscriber, "newsletter:confirm", confirm_token(subscriber))


def unsubscribe_url(subscriber, *, token=None):
    """The one-click unsubscribe link (also for the List-Unsubscribe header)."""
    token = token or unsubscribe_token(subscriber)
    return personal_url(subscriber, "newsletter:unsubscribe", token)


def preferences_url(subscriber):
    """The page where a subscriber changes language and countries, or leaves."""
    return personal_url(subscriber, "newsletter:preferences", preferences_token(subscriber))


def subscribe(*, email, language, countries, source):
    """Record a subscription request and send the confirmation email if due.

    Whatever the address's state, the caller shows the same answer, so that the
    form never tells whether an address is on the list. A confirmed subscriber is
    left unchanged (anyone can type their address into the form).
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email.lower(),
            defaults={
                "language": language,
                "consent_text_version": CONSENT_TEXT_VERSION,
                "consent_given_at": now,
                "consent_source": source,
            },
        )
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber
        if not created:
            if subscriber.status != Subscriber.Status.PENDING:
                subscriber.status_changed_at = now
            subscriber.status = Subscriber.Status.PENDING
            subscriber.language = language
            subscriber.consent_text_version = CONSENT_TEXT_VERSION
            subscriber.consent_given_at = now
            subscriber.consent_source = source
            subscriber.save()
        subscriber.countries.set(countries)
    send_confirmation(subscriber, now=now)
    return subscriber


def send_confirmation(subscriber, *, now=None):
    """Queue the confirmation link, unless one went to this address within the hour.

    The hour is claimed here, with a conditional UPDATE, so two requests at once
    queue one email; the "emails" worker sends it (deliver_confirmation), so the
    visitor's request never waits for the mail server. Returns whether an email was
    queued.
    """
    now = now or timezone.now()
    previous = subscriber.last_confirmation_sent_at
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(last_confirmation_sent_at__isnull=True)
            | Q(last_confirmation_sent_at__lte=now - CONFIRMATION_INTERVAL)
        )
        .update(last_confirmation_sent_at=now)
    )
    if not claimed:
        return False
    # Ids and times only in the task's row, never the address. With the database
    # queue the row is written in the caller's transaction, if any, with the claim.
    claim = [now.isoformat(), previous.isoformat() if previous else None]
    subscriber.last_confirmation_sent_at = now
    try:
        deliver_confirmation.enqueue(subscriber.pk, *claim)
    except Exception as error:  # the queue's database write failed: give the hour back
        logger.error(
            "Confirmation email to subscriber %s not queued: %s",
            subscriber.pk,
            type(error).__name__,
        )
        _give_back(subscriber.pk, *claim)
        subscriber.last_confirmation_sent_at = previous
        return False
    return True


def _give_back(subscriber_id, claimed_at, previous):
    Subscriber.objects.filter(
        pk=subscriber_id, last_confirmation_sent_at=datetime.fromisoformat(claimed_at)
    ).update(last_confirmation_sent_at=previous and datetime.fromisoformat(previous))


@task(backend="emails")
def deliver_confirmation(subscriber_id, claimed_at, previous):
    """Send the confirmation email claimed at `claimed_at`. If the mail server does
    not take it, give the hour back (to `previous`), so that the visitor can ask
    again at once. Returns whether it was sent."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:  # erased in the meantime
        return False
    try:
        confirmation_message(subscriber).send()
    except Exception as error:
        # Logged without the traceback: an SMTP refusal's message holds the address.
        logger.error(
            "Confirmation email to subscriber %s failed: %s", subscriber.pk, type(error).__name__
        )
        _give_back(subscriber.pk, claimed_at, previous)
        return False
    return True


def personal_email(subscriber, template, context):
    """A plain-text email to `subscriber`, written in their language, from the
    templates `newsletter/email/<template>_subject.txt` and `..._body.txt`."""
    context = {"subscriber": subscriber, **context}
    with translation.override(subscriber.language):
        subject = render_to_string(f"newsletter/email/{template}_subject.txt", context)
        body = render_to_string(f"newsletter/email/{template}_body.txt", context)
    # A subject is one line: a newline in it would start a new header.
    subject = " ".join(subject.split())
    return EmailMultiAlternatives(subject=subject, body=body, to=[subscriber.email])


def confirmation_message(subscriber):
    """The confirmation email, written in the subscriber's language."""
    context = {"confirm_url": confirm_url(subscriber), "valid_days": CONFIRM_MAX_AGE.days}
    return personal_email(subscriber, "confirm", context)


def confirm(subscriber):
    """Confirm a pending subscription. An unsubscribed address stays unsubscribed
    (an old link must not subscribe it again). Returns whether it is confirmed."""
    if subscriber.status == Subscriber.Status.PENDING:
        updated = Subscriber.objects.filter(
            pk=subscriber.pk, status=Subscriber.Status.PENDING
        ).update(
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            status_changed_at=timezone.now(),
        )
        if updated:
            subscriber.refresh_from_db()
            lift(subscriber.email)
    return subscriber.status == Subscriber.Status.CONFIRMED


def unsubscribe(subscriber):
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = subscriber.status_changed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "status_changed_at"])
