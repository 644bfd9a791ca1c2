"""Delete the addresses we have no reason to keep: sign-ups never confirmed,
requests whose link expired unused, and imported contacts who did not accept
their invitation. Opted-out rows are kept; even when a row goes, its opt-out stays
on the suppression list (newsletter.subscriptions.record_opt_out)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from newsletter.models import Subscriber, SubscriptionRequest
from privacy.purging import PurgeCommand


def _unconfirmed_cutoff(now):
    return now - timedelta(days=settings.NEWSLETTER["UNCONFIRMED_DAYS"])


def unconfirmed(now):
    """Pending sign-ups (never confirmed) older than UNCONFIRMED_DAYS without a
    request from that time: their confirmation link has expired unused."""
    cutoff = _unconfirmed_cutoff(now)
    return (
        Subscriber.objects.filter(status=Subscriber.Status.PENDING)
        .filter(
            Q(consent_given_at__lt=cutoff) | Q(consent_given_at__isnull=True, created_at__lt=cutoff)
        )
        .exclude(subscription_request__consent_given_at__gte=cutoff)
    )


def expired_requests(now):
    """Requests of other subscribers (an unsubscribed person asking to come back)
    whose link expired unused; the subscriber's own record stays as it was."""
    return SubscriptionRequest.objects.filter(
        consent_given_at__lt=_unconfirmed_cutoff(now)
    ).exclude(subscriber__status=Subscriber.Status.PENDING)


def unanswered_invitations(now):
    """Imported contacts whose invitation went out more than INVITATION_DAYS ago
    and who did not accept (contacts not yet invited are kept: they are waiting
    for their invitation)."""
    cutoff = now - timedelta(days=settings.NEWSLETTER["INVITATION_DAYS"])
    return Subscriber.objects.filter(
        status=Subscriber.Status.INVITED, invitation_sent_at__lt=cutoff
    )


class Command(PurgeCommand):
    help = (
        "Delete pending sign-ups and subscription requests not confirmed within "
        "NEWSLETTER['UNCONFIRMED_DAYS'] days "
        "and imported contacts who did not accept their invitation within "
        "NEWSLETTER['INVITATION_DAYS'] days. Meant to run once a day (for example from "
        "cron: `manage.py purge_subscribers`); --dry-run only counts. Deleting through "
        "the ORM also removes each person's admin log entries (newsletter.gdpr) and keeps "
        "their deliveries, unlinked."
    )
    summary = (
        "{pending} unconfirmed sign-up(s), {requests} expired subscription request(s) "
        "and {invited} unanswered invitation(s)."
    )

    def expired(self, now):
        return {
            "pending": unconfirmed(now),
            "requests": expired_requests(now),
            "invited": unanswered_invitations(now),
        }
