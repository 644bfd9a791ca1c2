"""Subscribing and unsubscribing: consent text, personal links, the confirmation
email, and the opt-out that stays (docs/newsletter.md).

A request from the public form never changes a known subscriber's record: it waits
beside it (SubscriptionRequest) until its emailed link is confirmed, and then
status, consent, language and countries change together. By status:
- new address: a `pending` row (no consent yet) and the request; the email;
- pending, invited, unsubscribed: the request; the email (the person may come back);
- bounced, complained (or so recorded on the suppression list): nothing and no
  email, since anyone can type an address into the form;
- confirmed: nothing.
Whatever the case, the form gives the same answer.

Opting out (unsubscribing, a bounce, a complaint) is recorded on the suppression
list when the status is set (`record_opt_out`), so that it outlives any purge or
deletion of the row: imports and invitations never reach it again.

Links carry no personal data (privacy.links): the confirmation link a random
token, the others a signature over the subscriber's id and a keyed digest of the
address, each under its own salt, so that a link made for one purpose cannot be
used for another, and keeps no power over an address that was erased (even if
the id is used again).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from home.models import CountryPage
from home.text import one_line
from newsletter.models import Subscriber, SubscriptionRequest
from newsletter.signals import subscription_confirmed
from privacy import links
from privacy.suppression import Reason, blocks_public_requests, lift, suppress

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
# The short form on the home page asks for no countries (they are offered after
# confirming), so its consent names none: a version of its own.
SHORT_CONSENT_TEXT_VERSION = "2026-12-short"
SHORT_CONSENT_TEXT = _(
    "I agree to receive the Diaspora Engagement newsletter by email, and to IOM Belgium "
    "and Luxembourg keeping my email address and language for that purpose. I can "
    "unsubscribe at any time with the link in every email."
)
# Every version a subscriber may have agreed to, with its text (the data export).
CONSENT_TEXTS = {
    CONSENT_TEXT_VERSION: CONSENT_TEXT,
    SHORT_CONSENT_TEXT_VERSION: SHORT_CONSENT_TEXT,
}

UNSUBSCRIBE_SALT = "newsletter.subscription.unsubscribe"
PREFERENCES_SALT = "newsletter.subscription.preferences"
CONFIRM_MAX_AGE = timedelta(days=7)
# At most one confirmation email per address in this time.
CONFIRMATION_INTERVAL = timedelta(hours=1)

Status = Subscriber.Status
# Who may ask, through the public form, to (re)subscribe.
MAY_REQUEST = (Status.PENDING, Status.INVITED, Status.UNSUBSCRIBED)
# The statuses that are an opt-out, and how the suppression list records each.
OPT_OUT_REASONS = {
    Status.UNSUBSCRIBED: Reason.UNSUBSCRIBED,
    Status.BOUNCED: Reason.BOUNCED,
    Status.COMPLAINED: Reason.COMPLAINED,
}


def signed_token(subscriber, salt):
    return links.signed_token(subscriber.pk, subscriber.email, salt)


def link_signers():
    """(unsubscribe, preferences) token signers, for signing the links of many
    subscribers (`signer.token(subscriber.pk, subscriber.email)`)."""
    return links.LinkSigner(UNSUBSCRIBE_SALT), links.LinkSigner(PREFERENCES_SALT)


def subscriber_from_signed_token(token, salt, max_age=None):
    """The subscriber a token was made for, or None if it is forged, expired or
    stale (made for an address since erased)."""
    return links.object_from_token(Subscriber.objects.all(), token, salt, max_age=max_age)


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


def personal_url(subscriber, name, token, *, language=None):
    """An absolute link in the subscriber's language (or `language`)."""
    with translation.override(language or subscriber.language):
        path = reverse(name, args=[token])
    return base_url() + path


def unsubscribe_url(subscriber, *, token=None):
    """The one-click unsubscribe link (also for the List-Unsubscribe header)."""
    token = token or unsubscribe_token(subscriber)
    return personal_url(subscriber, "newsletter:unsubscribe", token)


def preferences_url(subscriber):
    """The page where a subscriber changes language and countries, or leaves."""
    return personal_url(subscriber, "newsletter:preferences", preferences_token(subscriber))


def _confirmation_due(subscriber, now):
    sent = subscriber.last_confirmation_sent_at
    return sent is None or sent <= now - CONFIRMATION_INTERVAL


def subscribe(*, email, language, countries, source, consent_text_version=CONSENT_TEXT_VERSION):
    """Record a subscription request and send the confirmation email if due.

    Whatever the address's state, the caller shows the same answer, so that the
    form never tells whether an address is on the list. Returns the request, or
    None when none was recorded (confirmed, bounced or complained).
    """
    now = timezone.now()
    email = email.strip().lower()
    if blocks_public_requests(email):  # bounced or complained, even if its row is gone
        return None
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"language": language, "status": Status.PENDING, "status_changed_at": now},
        )
        if subscriber.status not in MAY_REQUEST:
            return None
        request = SubscriptionRequest.objects.filter(subscriber=subscriber).first()
        due = _confirmation_due(subscriber, now)
        if request is None or due:
            # Within the hour, no email goes out: the request already mailed stays
            # as it was, so that its link confirms what was asked then.
            request, _created = SubscriptionRequest.objects.update_or_create(
                subscriber=subscriber,
                defaults={
                    "language": language,
                    "country_ids": sorted(getattr(page, "pk", page) for page in countries),
                    "consent_text_version": consent_text_version,
                    "consent_given_at": now,
                    "consent_source": source,
                },
            )
    if due:
        send_confirmation(subscriber, now=now)
    return request


def send_confirmation(subscriber, *, now=None):
    """Queue a new confirmation link for the subscriber's request, unless one went to
    this address within the hour. The one place that sends it.

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
    message = confirmation_message(subscriber, now=datetime.fromisoformat(claimed_at))
    if message is None:  # the request went meanwhile (confirmed, or the person opted out)
        return False
    try:
        message.send()
    except Exception as error:
        # Logged without the traceback: an SMTP refusal's message holds the address.
        logger.error(
            "Confirmation email to subscriber %s failed: %s", subscriber.pk, type(error).__name__
        )
        _give_back(subscriber.pk, claimed_at, previous)
        return False
    return True


def personal_email(subscriber, template, context, *, language=None):
    """A plain-text email to `subscriber`, written in their language (or
    `language`), from `newsletter/email/<template>_subject.txt` and `..._body.txt`."""
    context = {"subscriber": subscriber, **context}
    with translation.override(language or subscriber.language):
        subject = render_to_string(f"newsletter/email/{template}_subject.txt", context)
        body = render_to_string(f"newsletter/email/{template}_body.txt", context)
    # A subject is one line: a newline in it would start a new header.
    subject = one_line(subject)
    return EmailMultiAlternatives(subject=subject, body=body, to=[subscriber.email])


def confirmation_message(subscriber, *, now=None):
    """The confirmation email for the subscriber's request, in the request's
    language, with a new link (the previous one stops working); None if there is
    no request any more."""
    token, digest = links.random_token()
    updated = SubscriptionRequest.objects.filter(subscriber=subscriber).update(
        token_digest=digest, link_sent_at=now or timezone.now()
    )
    if not updated:
        return None
    request = SubscriptionRequest.objects.get(subscriber=subscriber)
    url = personal_url(subscriber, "newsletter:confirm", token, language=request.language)
    context = {"confirm_url": url, "valid_days": CONFIRM_MAX_AGE.days}
    return personal_email(subscriber, "confirm", context, language=request.language)


def request_from_confirm_token(token):
    """The request a confirmation link was sent for, or None if the link is
    unknown, replaced by a newer one, used, or older than CONFIRM_MAX_AGE."""
    if not token or len(token) > 100:
        return None
    return (
        SubscriptionRequest.objects.filter(
            token_digest=links.random_token_digest(token),
            link_sent_at__gt=timezone.now() - CONFIRM_MAX_AGE,
        )
        .select_related("subscriber")
        .first()
    )


def confirm(request):
    """Apply a request to its subscriber, in one transaction: status, consent,
    language and countries. An address that bounced or complained since is left
    as it is. Returns whether the subscription is confirmed."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=request.subscriber_id)
        current = SubscriptionRequest.objects.filter(
            pk=request.pk, token_digest=request.token_digest
        ).first()
        if current is None:  # used meanwhile (a double click)
            return subscriber.status == Status.CONFIRMED
        current.delete()
        if subscriber.status not in MAY_REQUEST:
            return subscriber.status == Status.CONFIRMED
        subscriber.status = Status.CONFIRMED
        subscriber.status_changed_at = subscriber.confirmed_at = now
        subscriber.language = current.language
        subscriber.consent_text_version = current.consent_text_version
        subscriber.consent_given_at = current.consent_given_at
        subscriber.consent_source = current.consent_source
        subscriber.save()
        subscriber.countries.set(CountryPage.objects.filter(pk__in=current.country_ids))
        # Following the link proves the person holds the address.
        lift(subscriber.email)
        # The welcome email: queued here, once, as only this transaction made it so.
        subscription_confirmed.send(sender=Subscriber, subscriber=subscriber)
    request.subscriber = subscriber
    return True


def record_opt_out(subscriber):
    """Put an opted-out subscriber's address on the suppression list (with why),
    and drop any request waiting for confirmation: an opt-out beats it."""
    reason = OPT_OUT_REASONS.get(subscriber.status)
    if reason is None:
        return
    SubscriptionRequest.objects.filter(subscriber_id=subscriber.pk).delete()
    suppress(subscriber.email, reason)


def unsubscribe(subscriber):
    """Unsubscribe; a bounced or complained address keeps that stricter status."""
    if subscriber.status not in OPT_OUT_REASONS:
        subscriber.status = Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = subscriber.status_changed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "status_changed_at"])
    record_opt_out(subscriber)
