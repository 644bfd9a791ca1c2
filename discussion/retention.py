"""The discussion's personal data and how long it stays (privacy.periods):
purge_discussion's rules. Published contributions stay with their page until the
person asks for their erasure."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from discussion.emails import CONFIRM_MAX_AGE
from discussion.management.commands.purge_discussion import (
    idle_authors,
    never_confirmed,
    turned_down,
)
from privacy import periods

PERSONAL_MODELS = ["discussion.author", "discussion.contribution", "discussion.report"]
KINDS = []

KINDS.append(
    periods.Kind(
        key="discussion_published",
        label=_("Published contributions to a discussion, with their author's address"),
        period=lambda: _("until you ask for their erasure"),
        order=40,
    )
)
KINDS.append(
    periods.Kind(
        key="discussion_turned_down",
        label=_("Contributions rejected or marked as spam"),
        period=lambda: periods.natural(settings.DISCUSSION_RETENTION_DAYS),
        start=_("after moderation"),
        expired=lambda now: {"rejected or spam contribution(s)": turned_down(now)},
        order=41,
    )
)
KINDS.append(
    periods.Kind(
        key="discussion_unconfirmed",
        label=_("Contributions whose address was never confirmed"),
        period=lambda: periods.natural(CONFIRM_MAX_AGE.days),
        start=_("after posting"),
        expired=lambda now: {
            "never confirmed contribution(s)": never_confirmed(now),
            "unconfirmed address(es) with nothing left": idle_authors(now),
        },
        order=42,
    )
)
