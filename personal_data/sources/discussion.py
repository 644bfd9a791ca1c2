"""Discussions: the address that posted (its confirmation and email preferences) and
what it wrote. Erasing deletes what nobody answered; a contribution that published
replies hang from keeps its place, emptied of name and text, and the page says
"removed at the author's request". The pages of the discussions touched are emptied
from the cache."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from discussion.caching import discussions_changed
from discussion.models import Author, Contribution
from privacy.exports import model_fields

KINDS = [
    ("discussion_authors", _("Discussion: address and email preferences")),
    ("discussion_contributions", _("Discussion contributions")),
]


def _contributions(email):
    return Contribution.objects.filter(author__email__iexact=email).select_related("page")


def export(email):
    return {
        "discussion_authors": [
            model_fields(author, exclude=("token_digest",))
            for author in Author.objects.filter(email__iexact=email)
        ],
        "discussion_contributions": [
            {
                "page_title": contribution.page.title if contribution.page else "",
                **model_fields(contribution, exclude=("author_id",)),
            }
            for contribution in _contributions(email)
        ],
    }


def erase(email, user):
    contributions = _contributions(email).annotate(
        answered=Exists(Contribution.objects.filter(parent=OuterRef("pk")))
    )
    touched = set()
    kept, deleted = [], []
    for contribution in contributions:
        touched.add(contribution.discussion_id)
        (kept if contribution.answered else deleted).append(contribution.pk)
    Contribution.objects.filter(pk__in=kept).update(
        state=Contribution.State.ERASED, name="", text="", author=None, reason="", consent_text=""
    )
    Contribution.objects.filter(pk__in=deleted).delete()
    authors = Author.objects.filter(email__iexact=email).delete()[1].get(Author._meta.label, 0)
    if touched:
        discussions_changed(touched)
    return {"discussion_authors": authors, "discussion_contributions": len(kept) + len(deleted)}
