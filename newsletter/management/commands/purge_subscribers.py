"""Delete the addresses we have no reason to keep: sign-ups never confirmed, and
imported contacts who did not accept their invitation."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from newsletter.models import Subscriber
from privacy.purging import PurgeCommand


def unconfirmed(now):
    """Pending sign-ups whose request (the consent given on the form) is older than
    UNCONFIRMED_DAYS: their confirmation link has expired unused."""
    cutoff = now - timedelta(days=settings.NEWSLETTER["UNCONFIRMED_DAYS"])
    return Subscriber.objects.filter(status=Subscriber.Status.PENDING).filter(
        Q(consent_given_at__lt=cutoff) | Q(consent_given_at__isnull=True, created_at__lt=cutoff)
    )


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
        "Delete pending sign-ups not confirmed within NEWSLETTER['UNCONFIRMED_DAYS'] days "
        "and imported contacts who did not accept their invitation within "
        "NEWSLETTER['INVITATION_DAYS'] days. Meant to run once a day (for example from "
        "cron: `manage.py purge_subscribers`); --dry-run only counts. Deleting through "
        "the ORM also removes each person's admin log entries (newsletter.gdpr) and keeps "
        "their deliveries, unlinked."
    )
    summary = "{pending} unconfirmed sign-up(s) and {invited} unanswered invitation(s)."

    def expired(self, now):
        return {"pending": unconfirmed(now), "invited": unanswered_invitations(now)}
