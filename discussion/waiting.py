"""What waits for a moderator: contributions pending moderation, and published ones
readers reported. The listing's order, the dashboard, the page header and the
daily digest all count the same things from here."""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from discussion.models import Contribution

State = Contribution.State

MODERATE_PERMISSION = "discussion.moderate_contribution"
VIEW_PERMISSION = "discussion.view_contribution"

PENDING = Q(state=State.PENDING)
# Published and flagged by at least one reader: it stays up until a moderator acts.
REPORTED = Q(state=State.APPROVED, report_count__gt=0)


def with_priority(queryset):
    """Annotate `moderation_priority`: 0 pending, 1 reported, 2 the rest."""
    return queryset.annotate(
        moderation_priority=Case(
            When(PENDING, then=Value(0)),
            When(REPORTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def counts(queryset=None):
    """{"pending": n, "reported": n} in one query."""
    queryset = Contribution.objects.all() if queryset is None else queryset
    return queryset.aggregate(
        pending=Count("pk", filter=PENDING), reported=Count("pk", filter=REPORTED)
    )


def counts_for_page(page):
    """What waits under `page`, in all its languages (they share one discussion)."""
    return counts(Contribution.objects.filter(discussion__translation_key=page.translation_key))


def per_discussion():
    """[(translation_key, pending, reported)] of the discussions where something
    waits, most waiting first: one query."""
    rows = (
        Contribution.objects.filter(PENDING | REPORTED)
        .values("discussion__translation_key")
        .annotate(pending=Count("pk", filter=PENDING), reported=Count("pk", filter=REPORTED))
        .order_by("-pending", "-reported", "discussion__translation_key")
    )
    return [(r["discussion__translation_key"], r["pending"], r["reported"]) for r in rows]
