"""Delete what the discussion has no reason to keep: rejected and spam contributions
after DISCUSSION_RETENTION_DAYS (30), contributions whose address was never
confirmed once the link has expired, and addresses left with nothing."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from discussion.emails import CONFIRM_MAX_AGE
from discussion.models import Author, Contribution
from privacy.purging import PurgeCommand

State = Contribution.State


def turned_down(now):
    """Rejected or spam, moderated more than the retention period ago."""
    cutoff = now - timedelta(days=settings.DISCUSSION_RETENTION_DAYS)
    return Contribution.objects.filter(state__in=(State.REJECTED, State.SPAM)).filter(
        Q(moderated_at__lt=cutoff) | Q(moderated_at=None, created_at__lt=cutoff)
    )


def never_confirmed(now):
    """Posted by an address whose confirmation link expired unused."""
    return Contribution.objects.filter(
        state=State.UNCONFIRMED, created_at__lt=now - CONFIRM_MAX_AGE
    )


def idle_authors(now):
    """Addresses never confirmed, with nothing left, whose link expired."""
    return Author.objects.filter(
        confirmed_at=None, created_at__lt=now - CONFIRM_MAX_AGE, contributions=None
    )


class Command(PurgeCommand):
    help = (
        "Delete rejected and spam contributions DISCUSSION_RETENTION_DAYS days after "
        "moderation, contributions whose address was not confirmed within a week, and "
        "addresses never confirmed that have nothing left. Meant to run once a day "
        "(`manage.py purge_discussion`); --dry-run only counts."
    )
    summary = (
        "{turned_down} rejected or spam contribution(s), {unconfirmed} never confirmed "
        "and {authors} unconfirmed address(es)."
    )

    def expired(self, now):
        return {
            "turned_down": turned_down(now),
            "unconfirmed": never_confirmed(now),
            "authors": idle_authors(now),
        }
