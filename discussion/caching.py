"""A discussion's part of the page cache: its pages depend on a counter of their own
(pagecache.lifetime.depends_on), so what changes one discussion empties the three
language versions of that page and no other, and purges them from a CDN in one go.
Moderation calls `discussions_changed` once per action, however many contributions
and pages the action touched."""

from django.db.models import Count, Exists, OuterRef, Q

from discussion.models import Contribution, Discussion
from pagecache.cdn import schedule_translation_purge
from pagecache.generation import invalidate_counter
from pagecache.lifetime import depends_on

State = Contribution.State
# Taken down, yet kept in the page as a line of its own while replies depend on it.
PLACEHOLDER_STATES = (State.REMOVED, State.ERASED)


def counter_name(translation_key):
    return f"discussion:{translation_key}"


def declare(translation_key):
    """Say that the page being rendered shows the discussion of `translation_key`."""
    depends_on(counter_name(translation_key))


def shown_top_level(discussion_id=None):
    """The top-level contributions a page shows (of one discussion, or of all):
    published ones, and those taken down that published replies hang from (shown as
    a placeholder)."""
    published_replies = Contribution.objects.filter(parent=OuterRef("pk"), state=State.APPROVED)
    contributions = Contribution.objects.filter(parent=None)
    if discussion_id is not None:
        contributions = contributions.filter(discussion_id=discussion_id)
    return contributions.filter(
        Q(state=State.APPROVED) | Q(state__in=PLACEHOLDER_STATES) & Exists(published_replies)
    )


def recount(discussion_ids):
    """Store each discussion's number of shown top-level contributions, in all
    languages ("") and per language: pages then paginate without counting."""
    counts = {discussion_id: {"": 0} for discussion_id in set(discussion_ids)}
    rows = (
        shown_top_level()
        .filter(discussion_id__in=counts)
        .values_list("discussion_id", "language")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for discussion_id, language, n in rows:  # one query, however many discussions
        counts[discussion_id][language] = n
        counts[discussion_id][""] += n
    for discussion_id, shown in counts.items():
        Discussion.objects.filter(pk=discussion_id).update(shown_counts=shown)


def discussions_changed(discussion_ids):
    """Recount, then empty the pages of these discussions (every language) from the
    page cache, and purge them from a CDN, once each whatever the number of
    contributions changed."""
    discussion_ids = set(discussion_ids)
    recount(discussion_ids)
    keys = list(
        Discussion.objects.filter(pk__in=discussion_ids).values_list("translation_key", flat=True)
    )
    for key in keys:
        invalidate_counter(counter_name(key))
    schedule_translation_purge(*keys)
