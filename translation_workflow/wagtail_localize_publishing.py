"""WORKAROUND: wagtail-localize presents untranslated text as translated.

In wagtail-localize 1.14.5, `TranslationSource.create_or_update_translation` (which
submitting, syncing and the translation editor's "Publish" all go through) fills
the segments nobody has translated yet with the source text (`fallback=True`) and
writes that into the live row of the target page, converting an alias into a page
of its own even when it does not publish: the French page then serves English under
`lang="fr"`. Snippets, which have no draft state, go live the same way. Upstream
issue #463 proposes that an alias stay an alias until its translation is published.

This module replaces that method (`publishing_rules_apply`), so that:

- a page's live row is written only when a complete translation is published;
  otherwise an alias stays an alias, and a translated page keeps its last complete
  translation, with the new text saved as a draft revision, recorded as a
  `FallbackRevision` when it holds source text (whatever publishes it later, the page
  is shown as untranslated: home/models/translation_state.py);
- a snippet translation that is not complete never replaces a complete one, and a new
  one is flagged `has_untranslated_text` (the English snippet is shown instead);
- the translation editor refuses to publish a page with untranslated segments, and
  names them (`refuse_incomplete_publish`);
- an alias whose translation has been started opens in the translation editor
  (upstream shows the "Translate this page" screen again).

Remove it when upstream keeps aliases until publication; `UPSTREAM_SOURCES` makes a
test fail when the replaced code changes. The why: docs/translation.md.
"""

import functools
import hashlib
import inspect
from collections import Counter

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.shortcuts import redirect
from django.utils.text import capfirst, slugify
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.coreutils import find_available_slug
from wagtail.models import DraftStateMixin, Page
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import StringSegment, Translation, TranslationSource
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.views import edit_translation

from home.models.translation_state import FallbackRevision

_upstream_create_or_update = getattr(
    TranslationSource.create_or_update_translation,
    "upstream",
    TranslationSource.create_or_update_translation,
)
_upstream_edit_translation = getattr(
    edit_translation.edit_translation, "upstream", edit_translation.edit_translation
)

#: The upstream code this module replaces or wraps, and the sha256 of its source as
#: read in wagtail-localize 1.14.5 (tests/translation/test_publishing.py compares).
UPSTREAM = {
    "TranslationSource.create_or_update_translation": (
        _upstream_create_or_update,
        "4c68c20a8ba2648b4135a0837802e66f1537a748321fc1af66eef86e159b3a01",
    ),
    "edit_translation.edit_translation": (
        _upstream_edit_translation,
        "a6457c5b67a42e9490f671078a6d3137a0e6307a7a670eeaf18461e0079cad6d",
    ),
}

#: Run before wagtail-localize's hooks (order 0), after the permission guards (-100).
ALIAS_EDITOR_ORDER = -50


def source_digest(function):
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def untranslated_segments(source, locale):
    """The string segments of `source` without a usable translation into `locale`."""
    return (
        StringSegment.objects.filter(source=source)
        .annotate_translation(locale)
        .filter(translation__isnull=True)
        .select_related("context")
    )


def describe_missing(source, locale):
    """'Title, Body (3)': the fields whose segments are not translated yet."""
    model = source.specific_content_type.model_class()
    counts = Counter(
        segment.context.path.split(".")[0] for segment in untranslated_segments(source, locale)
    )
    names = []
    for field_name, count in counts.items():
        try:
            label = capfirst(model._meta.get_field(field_name).verbose_name)
        except Exception:  # a path that is not a field name (inline objects)
            label = field_name.replace("_", " ").capitalize()
        names.append(f"{label} ({count})" if count > 1 else str(label))
    return ", ".join(names)


def create_or_update_translation(
    self, locale, user=None, publish=True, copy_parent_pages=False, fallback=False
):
    """`TranslationSource.create_or_update_translation`, which never lets source text
    pass as a translation (see the module's docstring)."""
    missing = untranslated_segments(self, locale).count() if fallback else 0
    complete = missing == 0
    try:
        target = self.get_translated_instance(locale)
    except ObjectDoesNotExist:
        target = None
    if target is not None and isinstance(target, Page):
        if not (publish and complete):
            if target.alias_of_id:
                return target, False  # stays an alias until its translation is published
            return _save_draft(self, target, locale, user, missing), False
    elif target is not None and not isinstance(target, DraftStateMixin):
        if not complete and not getattr(target, "has_untranslated_text", True):
            return target, False  # keeps its last complete translation
    elif target is None and isinstance(self.as_instance(), Page):
        publish = publish and complete
    result, created = _upstream_create_or_update(
        self,
        locale,
        user=user,
        publish=publish,
        copy_parent_pages=copy_parent_pages,
        fallback=fallback,
    )
    untranslated = not complete
    if getattr(result, "has_untranslated_text", untranslated) != untranslated:
        type(result)._default_manager.filter(pk=result.pk).update(
            has_untranslated_text=untranslated
        )
        result.has_untranslated_text = untranslated
    if isinstance(result, Page) and not complete and result.latest_revision_id:
        FallbackRevision.objects.get_or_create(
            revision_id=result.latest_revision_id, defaults={"missing_segments": missing}
        )
    return result, created


def _save_draft(source, target, locale, user, missing):
    """Save the translation as a draft revision of `target`, leaving its live row as
    it is; record the revision if it falls back to source text."""
    original = source.as_instance()
    copy_synchronised_fields(original, target)
    segments = source._get_segments_for_translation(locale, fallback=True)
    with transaction.atomic():
        ingest_segments(original, target, source.locale, locale, segments)
        target.slug = find_available_slug(
            target.get_parent(), slugify(target.slug), ignore_page_id=target.id
        )
        revision = target.save_revision(user=user)
        if missing:
            FallbackRevision.objects.create(revision=revision, missing_segments=missing)
    return target


def refuse_incomplete_publish(view):
    """Wrap the translation editor: publishing a page with untranslated segments is
    refused, with a message naming them."""

    @functools.wraps(view)
    def checked(request, translation, instance, *args, **kwargs):
        if request.method == "POST" and request.POST.get("action") == "publish":
            missing = untranslated_segments(translation.source, translation.target_locale)
            count = missing.count()
            if count:
                messages.error(
                    request,
                    ngettext(
                        "Not published: %(count)d segment is not translated into "
                        "%(language)s yet (%(fields)s). Translate it, then publish.",
                        "Not published: %(count)d segments are not translated into "
                        "%(language)s yet (%(fields)s). Translate them, then publish.",
                        count,
                    )
                    % {
                        "count": count,
                        "language": translation.target_locale.get_display_name(),
                        "fields": describe_missing(translation.source, translation.target_locale),
                    },
                )
                return redirect(request.get_full_path())
        return view(request, translation, instance, *args, **kwargs)

    checked.upstream = view
    return checked


@hooks.register("before_edit_page", order=ALIAS_EDITOR_ORDER)
def open_started_alias_in_translation_editor(request, page):
    """An alias whose translation has been submitted opens in the translation editor
    (it stays an alias, and live as one, until that translation is published)."""
    if not page.alias_of_id:
        return None
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )
    if translation is None:
        return None
    return edit_translation.edit_translation(request, translation, page.specific)


def publishing_rules_apply():
    """Install the replacements. Idempotent."""
    TranslationSource.create_or_update_translation = create_or_update_translation
    edit_translation.edit_translation = refuse_incomplete_publish(_upstream_edit_translation)


create_or_update_translation.upstream = _upstream_create_or_update
publishing_rules_apply()
