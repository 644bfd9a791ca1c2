"""The welcome email a subscriber gets right after confirming (docs/newsletter.md).

In the reader's language: what to expect, the latest issue in that language (or
the English one where it has no translation yet), the links to their preferences
(countries of interest, language) and to unsubscribe, and the RFC 8058 headers
an issue carries, so that from the first day they can change or leave.

Sent once per subscription: the one transaction that turns a subscriber
`confirmed` (subscriptions.confirm, invitations.accept) sends the
`subscription_confirmed` signal, and the task's row is written in that
transaction (the "emails" queue is a table), so a double click or two requests
at once, which find the subscriber confirmed already, queue nothing. The task
carries the subscriber's id only; the logs name subscribers by id.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from newsletter.issue_email import list_headers, version_for
from newsletter.models import NewsletterIssuePage, Subscriber
from newsletter.subscriptions import (
    base_url,
    personal_url,
    preferences_url,
    unsubscribe_token,
)

logger = logging.getLogger(__name__)


def on_confirmed(sender, subscriber, **kwargs):
    """Queue the welcome email, in the caller's transaction. A queue that cannot
    take it (its write failed) costs the email, never the confirmation: the
    savepoint leaves the caller's transaction usable (PostgreSQL)."""
    subscriber_id = subscriber.pk
    try:
        with transaction.atomic():
            deliver_welcome.enqueue(subscriber_id)
    except Exception as error:
        logger.error(
            "Welcome email to subscriber %s not queued: %s", subscriber_id, type(error).__name__
        )


@task(backend="emails")
def deliver_welcome(subscriber_id):
    """Send the welcome email, if the person is still subscribed. Returns whether
    it was sent."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.CONFIRMED
    ).first()
    if subscriber is None:  # erased or unsubscribed in the meantime
        return False
    try:
        welcome_message(subscriber).send()
    except Exception as error:
        # Without the traceback: an SMTP refusal's message holds the address.
        logger.error(
            "Welcome email to subscriber %s failed: %s", subscriber.pk, type(error).__name__
        )
        return False
    return True


def latest_issue(language):
    """The latest published issue as a reader of `language` gets it (its
    translation, or the English issue), or None before the first issue."""
    latest = (
        NewsletterIssuePage.objects.live()
        .public()
        .filter(alias_of__isnull=True)
        .order_by("-issue_date", "-number")
        .first()
    )
    return version_for(latest, language) if latest else None


def _absolute(url):
    return url if url.startswith(("http://", "https://")) else base_url() + url


def welcome_message(subscriber):
    """The welcome email, in the subscriber's language, with the one-click
    unsubscribe headers (RFC 8058) that issues carry."""
    language = subscriber.language
    token = unsubscribe_token(subscriber)
    unsubscribe = personal_url(subscriber, "newsletter:unsubscribe", token)
    issue = latest_issue(language)
    context = {
        "subscriber": subscriber,
        "language": language,
        "issue": issue,
        "issue_url": _absolute(issue.get_url()) if issue else "",
        "issue_language": issue.locale.language_code if issue else language,
        "preferences_url": preferences_url(subscriber),
        "unsubscribe_url": unsubscribe,
    }
    with translation.override(language):
        subject = render_to_string("newsletter/email/welcome_subject.txt", context)
        body = render_to_string("newsletter/email/welcome_body.txt", context)
    return EmailMultiAlternatives(
        # A subject is one line: a newline in it would start a new header.
        subject=" ".join(subject.split()),
        body=body,
        to=[subscriber.email],
        headers=list_headers(unsubscribe, token),
    )
