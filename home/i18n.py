"""Cross-language lookups.

wagtail-localize copies a link to a page (a foreign key, a ParentalManyToMany, a
page chosen in a StreamField) unchanged into each translation, so a French story
still points at the English country page. These helpers find the version of
linked objects in the locale being shown, in a fixed number of queries whatever
the number of objects. (Wagtail has `.localized` per instance, one query each,
and no queryset equivalent.)
"""

import unicodedata

from django.db.models import Q
from wagtail.blocks import PageChooserBlock, StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.models import Page, TranslatableMixin

# What a page links to and its own language versions are looked up there, with
# SQL written out for speed; callers import them from here.
from home.language_versions import (  # noqa: F401
    chosen_versions,
    flags_untranslated_text,
    live_versions,
    localized,
    source_language,
)


def localize_pages(pages, locale_id, *, specific=True):
    """Map the id of each page in `pages` to its live version in `locale_id` (the page
    itself when it has none).

    One query for all pages (plus one per page type when `specific`, so templates
    can use each type's own fields, as a page chosen among several types comes
    back as a plain Page). `specific` may also be a set of translation keys: only
    those pages are made specific.
    """
    pages = [page for page in pages if page is not None]

    def needs_specific(page):
        if isinstance(specific, set | frozenset):
            return page.translation_key in specific
        return specific

    # Pages already in the locale (and specific, where asked) need no lookup.
    wanted = [
        page
        for page in pages
        if page.locale_id != locale_id or (needs_specific(page) and type(page) is Page)
    ]
    found = {}
    if wanted:
        versions = Page.objects.live().filter(
            translation_key__in={page.translation_key for page in wanted}, locale_id=locale_id
        )
        found = {version.translation_key: version for version in versions}
        generic = [version for version in found.values() if needs_specific(version)]
        if generic:
            # One query per page type, for the pages that need it only.
            by_type = {}
            for version in generic:
                by_type.setdefault(version.specific_class, []).append(version.pk)
            for model, ids in by_type.items():
                for version in model._default_manager.filter(pk__in=ids):
                    found[version.translation_key] = version
    return {page.pk: found.get(page.translation_key, page) for page in pages}


def _translatable_slots(value, slots):
    """Collect (container, key, object, block) for every translatable object (a
    chosen page or snippet) anywhere inside a StreamField value; `block` is the
    chooser block that holds it."""
    if isinstance(value, StreamValue):
        items = [(child, "value", child.value, child.block) for child in value]
    elif isinstance(value, StructValue):
        items = [
            (value, key, item, value.block.child_blocks.get(key)) for key, item in value.items()
        ]
    elif isinstance(value, ListValue):
        block = value.list_block.child_block
        items = [(value, index, item, block) for index, item in enumerate(value)]
    else:
        return slots
    for container, key, item, block in items:
        if isinstance(item, TranslatableMixin):
            slots.append((container, key, item, block))
        else:
            _translatable_slots(item, slots)
    return slots


def _needs_specific(block):
    """Whether the page a chooser holds is shown with its type's own fields. A
    chooser limited to some page types has a template written for them (an event's
    date, say); one that takes any page is a link, which needs only the title and
    the address that every page has."""
    return isinstance(block, PageChooserBlock) and any(
        model is not Page for model in block.target_models
    )


def localize_stream(stream_value, locale_id, *, specific=True):
    """Swap every page and snippet chosen inside `stream_value` for its version in
    `locale_id`, in place, with one query per kind of object.

    Called when a page is served, never in the editor, so what editors chose is
    what gets saved.
    """
    slots = _translatable_slots(stream_value, [])
    pages = [obj for _, _, obj, _ in slots if isinstance(obj, Page)]
    specific_keys = {
        obj.translation_key
        for _, _, obj, block in slots
        if specific and isinstance(obj, Page) and _needs_specific(block)
    }
    page_versions = localize_pages(pages, locale_id, specific=specific_keys)
    snippets = {}
    for _, _, obj, _ in slots:
        if not isinstance(obj, Page):
            snippets.setdefault(type(obj), []).append(obj)
    snippet_versions = {}
    for model, objects in snippets.items():
        snippet_versions[model] = localized_by_key(model, objects, locale_id)
    for container, key, obj, _ in slots:
        if isinstance(obj, Page):
            replacement = page_versions[obj.pk]
        else:
            replacement = snippet_versions[type(obj)].get(obj.translation_key, obj)
        if isinstance(container, StreamValue.StreamChild):
            container.value = replacement
        else:
            container[key] = replacement
    return stream_value


def localized_by_key(model, objects, locale_id):
    """Map translation keys of `objects` (of a translatable `model`) to their
    version in `locale_id`, for those that have one, and to their source for those
    in `locale_id` still falling back to source text; one query, none when every
    object is already right."""
    keys = {obj.translation_key for obj in objects if obj.locale_id != locale_id}
    falling_back = {
        obj.translation_key
        for obj in objects
        if obj.locale_id == locale_id and getattr(obj, "has_untranslated_text", False)
    }
    if not keys and not falling_back:
        return {}
    manager = model._default_manager
    translated = _complete(manager.filter(translation_key__in=keys, locale_id=locale_id))
    sources = _sources(manager, falling_back)
    return {
        obj.translation_key: obj
        for obj in manager.filter(
            Q(pk__in=translated.values("pk")) | Q(pk__in=sources.values("pk"))
        )
    }


def _complete(snippets):
    """Leave out snippet translations that still fall back to source text (the
    source is shown instead: home/models/translation_state.py)."""
    if flags_untranslated_text(snippets.model):
        return snippets.filter(has_untranslated_text=False)
    return snippets


def _sources(manager, translation_keys):
    """The source-language versions of the objects with these translation keys."""
    return manager.filter(
        translation_key__in=translation_keys, locale__language_code=source_language()
    )


def alphabetical_key(text):
    """Sort key that files accented letters with their base letter (Bénin before
    Burundi), as readers of French and Dutch expect; the database sorts by code point."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def context_page(context):
    """The Wagtail page a template context shows, if any (error pages have none)."""
    page = context.get("page")
    return page if isinstance(page, Page) else None


def in_own_language(version):
    """Whether a language version (from `live_versions`) is really written in its
    language: not an alias, and not a translation that still falls back to source
    text (home/models/translation_state.py)."""
    return version.alias_of_id is None and not getattr(version, "shows_source_text", False)
