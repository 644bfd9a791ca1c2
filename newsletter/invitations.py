"""Inviting the contacts imported from the old mailing list.

An imported contact (`invited`) never agreed to receive the newsletter, so it gets
no issue. It gets one invitation email, in its language, saying why (it was in
contact with IOM) and carrying a personal link to the acceptance page (a
signature over the contact's id and a keyed digest of the address, never the
address itself: privacy.links). There the
person gives consent, and since only the owner of the address can have followed
the link, the subscription is confirmed at once. Contacts who do not accept within
NEWSLETTER["INVITATION_DAYS"] days are deleted by `manage.py purge_subscribers`.

One invitation per address, ever: each one is claimed with a conditional UPDATE
(`invitation_sent_at` from NULL to now) before it is sent, so two clicks on "Send
invitations", or two workers, cannot send it twice.

An address on the suppression list (erased on request, or opted out:
privacy.suppression) gets no invitation.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from newsletter.models import Subscriber, SubscriptionRequest
from newsletter.signals import subscription_confirmed
from newsletter.subscriptions import (
    CONSENT_TEXT_VERSION,
    personal_email,
    personal_url,
    signed_token,
    subscriber_from_signed_token,
)
from privacy.suppression import Suppressed, is_suppressed

logger = logging.getLogger(__name__)

INVITATION_SALT = "newsletter.invitation.accept"
# The source recorded with the consent of a contact who accepted an invitation.
INVITATION_SOURCE = "invitation"
# Invitations sent over one connection to the mail server.
BATCH_SIZE = 200


def invitation_days():
    return settings.NEWSLETTER.get("INVITATION_DAYS", 30)


def invitation_token(subscriber):
    return signed_token(subscriber, INVITATION_SALT)


def subscriber_from_invitation_token(token):
    """The invited contact, or None if the link is forged, expired, or was made for
    an address since erased."""
    return subscriber_from_signed_token(
        token, INVITATION_SALT, max_age=timedelta(days=invitation_days())
    )


def accept_url(subscriber):
    return personal_url(subscriber, "newsletter:accept", invitation_token(subscriber))


def invitation_message(subscriber):
    """The invitation email, written in the contact's language."""
    context = {"accept_url": accept_url(subscriber), "valid_days": invitation_days()}
    return personal_email(subscriber, "invitation", context)


def uninvited():
    """Imported contacts who have not had their invitation yet."""
    return Subscriber.objects.filter(
        status=Subscriber.Status.INVITED, invitation_sent_at__isnull=True
    )


def send_invitation(pk, connection, *, suppressed=None):
    """Claim and send one contact's invitation. True if sent, False if it failed
    (the claim is given back, so a later run tries again), None if there was
    nothing to send (already invited, by this or another worker, no longer
    invited, or the address is suppressed). `suppressed`: the suppression list
    read once (privacy.suppression.Suppressed), for many calls."""
    email = uninvited().filter(pk=pk).values_list("email", flat=True).first()
    if email is None:
        return None
    if email in suppressed if suppressed is not None else is_suppressed(email):
        logger.info("Invitation to subscriber %s skipped: the address is suppressed", pk)
        return None
    now = timezone.now()
    claimed = uninvited().filter(pk=pk).update(invitation_sent_at=now)
    if not claimed:
        return None
    subscriber = Subscriber.objects.get(pk=pk)
    try:
        connection.send_messages([invitation_message(subscriber)])
    except Exception as error:
        # Not logger.exception: an SMTP error's text can hold the address.
        logger.warning("Invitation to subscriber %s failed: %s", pk, type(error).__name__)
        Subscriber.objects.filter(pk=pk, invitation_sent_at=now).update(invitation_sent_at=None)
        return False
    return True


@task(backend="background")
def send_invitations():
    """Send every imported contact who has not had one its invitation.

    Runs on the "background" task backend (`manage.py db_worker --backend
    background`). Safe to run twice at once: each invitation is claimed first.
    Returns the counts, kept with the task's result."""
    alias = settings.NEWSLETTER.get("MAILER", "default")
    sent = failed = 0
    last_pk = 0
    suppressed = Suppressed()
    while True:
        batch = list(
            uninvited()
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not batch:
            break
        last_pk = batch[-1]
        with mailers[alias] as connection:
            for pk in batch:
                outcome = send_invitation(pk, connection, suppressed=suppressed)
                sent += outcome is True
                failed += outcome is False
    logger.info("Invitations sent: %s, failed: %s", sent, failed)
    return {"sent": sent, "failed": failed}


def accept(subscriber, *, language, countries):
    """Record the consent of an invited contact (or of someone whose sign-up is
    still pending) and confirm the subscription. Returns whether this call
    subscribed them; an unsubscribed, bounced or complained address is left as
    it is (an old invitation must not subscribe it again)."""
    now = timezone.now()
    with transaction.atomic():
        updated = Subscriber.objects.filter(
            pk=subscriber.pk,
            status__in=[Subscriber.Status.INVITED, Subscriber.Status.PENDING],
        ).update(
            status=Subscriber.Status.CONFIRMED,
            language=language,
            consent_text_version=CONSENT_TEXT_VERSION,
            consent_given_at=now,
            consent_source=INVITATION_SOURCE,
            confirmed_at=now,
            status_changed_at=now,
        )
        if updated:
            subscriber.countries.set(countries)
            # Accepting answers any request from the form too.
            SubscriptionRequest.objects.filter(subscriber=subscriber).delete()
            subscription_confirmed.send(sender=Subscriber, subscriber=subscriber)
    subscriber.refresh_from_db()
    return bool(updated)
