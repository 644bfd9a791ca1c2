"""What a page or snippet in another language than the source still holds in the
source language (docs/translation.md, "Nothing untranslated passes as translated").

wagtail-localize fills the segments a translator has not translated yet with the
source text. A revision saved that way is recorded here (`FallbackRevision`); a page
whose live revision is one of them is shown as untranslated, as an alias is: notice,
`lang` of the source, canonical link to the source, left out of hreflang alternates,
the sitemap, search and feeds. Whatever publishes the revision (the translation
editor, a workflow's approval, bulk or scheduled publishing), the visitor is told.

Snippets have no revisions: a translated snippet whose text still falls back says so
in its own `has_untranslated_text`, and the English one is shown in its place.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FallbackRevision(models.Model):
    """A page revision whose text is partly the source's, for want of translations."""

    revision = models.OneToOneField(
        "wagtailcore.Revision",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    missing_segments = models.PositiveIntegerField(_("untranslated segments"))

    class Meta:
        verbose_name = _("revision with untranslated text")
        verbose_name_plural = _("revisions with untranslated text")

    def __str__(self):
        return f"{self.revision_id}: {self.missing_segments}"


class UntranslatedTextMixin(models.Model):
    """For translatable snippets: whether this translation still shows source text."""

    has_untranslated_text = models.BooleanField(
        _("has untranslated text"), default=False, editable=False
    )

    class Meta:
        abstract = True


def written_in_own_language(pages):
    """`pages` without aliases and without pages whose live text falls back to the
    source's: the pages that are really in their locale's language."""
    return pages.filter(alias_of__isnull=True).exclude(
        Q(live_revision__isnull=False)
        & Q(live_revision_id__in=FallbackRevision.objects.values("revision_id"))
    )
