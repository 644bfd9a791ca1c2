"""What moderators do, from the admin's listing (bulk actions) or a contribution's
own page: each action changes the contributions' state in one statement, empties
the pages of the discussions it touched once (discussion.caching), and queues the
authors' emails (discussion.emails) once the change is committed."""

from django.db import transaction
from django.utils import timezone

from discussion import emails
from discussion.caching import discussions_changed
from discussion.models import Contribution, Discussion, Report

State = Contribution.State

# Which states each action moves from, to what, and the author's email it sends.
ACTIONS = {
    "approve": (
        (State.PENDING, State.REJECTED, State.SPAM, State.REMOVED),
        State.APPROVED,
        "published",
    ),
    "reject": ((State.PENDING, State.UNCONFIRMED), State.REJECTED, "rejected"),
    "spam": ((State.PENDING, State.UNCONFIRMED, State.APPROVED, State.REJECTED), State.SPAM, None),
    "remove": ((State.APPROVED,), State.REMOVED, "removed"),
    # A reported contribution the moderator read again and keeps: its reports go.
    "keep": ((State.APPROVED,), State.APPROVED, None),
}


def moderate(contributions, action, user, reason=""):
    """Apply `action` to those of `contributions` it applies to; returns how many
    changed. Rejecting or removing tells the author `reason`."""
    from_states, to_state, notice = ACTIONS[action]
    ids = [c.pk for c in contributions]
    with transaction.atomic():
        candidates = Contribution.objects.filter(pk__in=ids, state__in=from_states)
        if action == "keep":
            candidates = candidates.filter(report_count__gt=0)
        changing = list(candidates.select_for_update())
        if not changing:
            return 0
        changed = Contribution.objects.filter(pk__in=[c.pk for c in changing])
        changed.update(
            state=to_state, moderated_at=timezone.now(), moderated_by=user, reason=reason
        )
        if action == "keep":
            changed.update(report_count=0)
            Report.objects.filter(contribution__in=changing).delete()
        discussions_changed({c.discussion_id for c in changing})
        if notice:  # with the database queue, stored in this transaction
            emails.queue_notices(changing, notice)
    return len(changing)


def answer_as_office(parent, text, language, user):
    """The office's answer to a top-level contribution, published at once."""
    if parent.parent_id:  # one level of replies: answer the thread
        parent = parent.parent
    with transaction.atomic():
        answer = Contribution.objects.create(
            discussion_id=parent.discussion_id,
            page_id=parent.page_id,
            parent=parent,
            is_office_answer=True,
            staff_user=user,
            text=text,
            language=language,
            state=State.APPROVED,
            moderated_at=timezone.now(),
            moderated_by=user,
        )
        discussions_changed([parent.discussion_id])
        emails.queue_notices([answer], "published")
    return answer


def set_open(translation_key, is_open):
    """Switch a page's discussion on or off (every language version)."""
    with transaction.atomic():
        discussion, _created = Discussion.objects.get_or_create(translation_key=translation_key)
        Discussion.objects.filter(pk=discussion.pk).update(is_open=is_open)
        discussions_changed([discussion.pk])
    return discussion
