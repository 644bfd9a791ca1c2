"""Taking a contribution, and confirming an address (docs/discussion.md).

A contribution is stored in one transaction with its author and consent. An address
posting for the first time waits for its emailed link: the contribution is
`unconfirmed` until the person follows it (a page with a button: a POST, so a mail
scanner fetching the link confirms nothing), then `pending` like every later post
of a confirmed address, until a moderator acts. The visitor is told the same thing
in every case, so the form never says whether an address has posted before.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from discussion import emails
from discussion.forms import CONSENT_TEXT, CONSENT_TEXT_VERSION
from discussion.models import Author, Contribution, Discussion, Report
from privacy import links
from privacy.suppression import normalise

State = Contribution.State


class NotOpen(Exception):
    """The page's discussion is switched off."""


class NoSuchParent(Exception):
    """A reply to something that is not a published top-level contribution here."""


def discussion_for(page, *, lock=False):
    discussion, _created = Discussion.objects.get_or_create(translation_key=page.translation_key)
    if lock:
        discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    return discussion


def post(page, data):
    """Store what the form took under `page`. Returns the contribution."""
    now = timezone.now()
    email = normalise(data["email"])
    with transaction.atomic():
        discussion = discussion_for(page, lock=True)
        if not discussion.is_open:
            raise NotOpen
        parent = None
        if data.get("parent"):
            parent = Contribution.objects.filter(
                pk=data["parent"], discussion=discussion, parent=None, state=State.APPROVED
            ).first()
            if parent is None:
                raise NoSuchParent
        author, _created = Author.objects.select_for_update().get_or_create(
            email=email, defaults={"language": data["language"], "created_at": now}
        )
        contribution = Contribution.objects.create(
            discussion=discussion,
            page=page,
            parent=parent,
            author=author,
            name=data["name"],
            text=data["text"],
            language=data["language"],
            state=State.PENDING if author.confirmed_at else State.UNCONFIRMED,
            consent_text=str(CONSENT_TEXT),
            consent_version=CONSENT_TEXT_VERSION,
            consent_given_at=now,
            created_at=now,
        )
        if author.confirmed_at is None and emails.claim_confirmation(author, now):
            Author.objects.filter(pk=author.pk).update(language=data["language"])
            # With the database queue, stored in this transaction: all or nothing.
            emails.deliver_confirmation.enqueue(author.pk)
    return contribution


def author_from_confirm_token(token):
    """The author a confirmation link was sent to, or None if the link is unknown,
    replaced by a newer one, used, or older than CONFIRM_MAX_AGE."""
    if not token or len(token) > 100:
        return None
    return Author.objects.filter(
        token_digest=links.random_token_digest(token),
        link_sent_at__gt=timezone.now() - emails.CONFIRM_MAX_AGE,
    ).first()


def confirm(author):
    """Confirm the address: what it posted goes to moderation. Returns how many
    contributions did."""
    with transaction.atomic():
        confirmed = Author.objects.filter(pk=author.pk, confirmed_at=None).update(
            confirmed_at=timezone.now(), token_digest=""
        )
        if not confirmed:  # a double click
            return 0
        return Contribution.objects.filter(author=author, state=State.UNCONFIRMED).update(
            state=State.PENDING
        )


def report(contribution, reporter, reason=""):
    """Record one reader's report (one per reader and contribution). The
    contribution stays visible until a moderator acts: no reader can silence
    another. Returns whether it was a new report."""
    with transaction.atomic():
        _report, created = Report.objects.get_or_create(
            contribution=contribution, reporter=reporter, defaults={"reason": reason}
        )
        if created:
            Contribution.objects.filter(pk=contribution.pk).update(
                report_count=F("report_count") + 1
            )
    return created
