"""Cross-language lookups.

wagtail-localize copies a link to a page (a foreign key, a ParentalManyToMany, a
page chosen in a StreamField) unchanged into each translation, so a French story
still points at the English country page. These helpers find the version of
linked objects in the locale being shown, in a fixed number of queries whatever
the number of objects. (Wagtail has `.localized` per instance, one query each,
and no queryset equivalent.)
"""

import unicodedata

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from wagtail.blocks import PageChooserBlock, StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, TranslatableMixin


def localized(queryset, locale_id):
    """The objects of `queryset` in the locale `locale_id`.

    Each object is replaced by its translation in that locale (for pages: its
    live translation or alias; for snippets: a translation whose text no longer
    falls back to the source's); an object without one is kept as it is, and a
    translation still falling back gives way to its source. One query, which the
    caller orders, and may filter further like any queryset.

    The versions are picked by one small SQL statement in which `queryset` is
    compiled once (`_VERSIONS`): the same answers as the ORM's nested subqueries it
    replaces (tests/home/test_localized.py compares them), whose compilation cost a
    fifth of an event page's render.
    """
    manager = queryset.model._default_manager
    try:
        sql, params = _version_ids(_as_queryset(queryset), locale_id)
    except EmptyResultSet:  # `queryset` can hold nothing (`.none()`, `pk__in=[]`)
        return manager.none()
    # Only quoted identifiers and SQL compiled by the ORM are formatted in: values
    # are parameters.
    return manager.filter(pk__in=RawSQL(sql, params))  # noqa: S611


def localized_list(queryset, locale_id, *, order_by=None):
    """`localized(queryset, locale_id)` as a list ordered by the fields `order_by`
    (by default the model's ordering, as the ORM would), for a model of one table
    (`Page` itself, a snippet): the rows are read by a written-out statement around
    the ids `localized` picks, which costs a third of what the ORM's compilation of
    that query did (what a page shows of the pages and snippets it links to)."""
    model = queryset.model
    if model._meta.get_parent_list():
        raise ValueError(f"{model.__name__} has more than one table: use localized()")
    try:
        ids, params = _version_ids(_as_queryset(queryset), locale_id)
    except EmptyResultSet:
        return []
    manager = model._default_manager
    quote = connections[manager.db].ops.quote_name
    order = [
        quote(_field(model, name.removeprefix("-")).column)
        + (" DESC" if name.startswith("-") else "")
        for name in (model._meta.ordering if order_by is None else order_by)
    ]
    sql = _ROWS.format(
        table=quote(model._meta.db_table),
        pk=quote(model._meta.pk.column),
        ids=ids,
        order=f" ORDER BY {', '.join(order)}" if order else "",
    )
    return list(manager.raw(sql, params))


_ROWS = "SELECT * FROM {table} WHERE {pk} IN ({ids}){order}"


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _as_queryset(objects):
    """`objects` as a queryset: modelcluster holds a relation of the page an editor
    previews in memory, as a list of objects (a FakeQuerySet)."""
    if isinstance(objects, QuerySet):
        return objects
    return objects.model._default_manager.filter(pk__in=[obj.pk for obj in objects])


# The ids of the objects' versions to show, from `o`, the caller's queryset (its
# objects' _pk, _key and, for snippets, _flag): the translations `shown` in the
# locale, then the originals that have none, and for snippets whose originals fall
# back to source text, the source instead. `{table}` is the translation model's.
_VERSIONS = (
    "WITH o ({columns}) AS ({originals})"
    " SELECT t.{pk} FROM {table} t WHERE {shown}"
    " AND t.translation_key IN (SELECT o._key FROM o)"
    " UNION ALL SELECT o._pk FROM o WHERE {missing}{flag}"
)
_MISSING = "NOT EXISTS (SELECT 1 FROM {table} t WHERE t.translation_key = o._key AND {shown})"
_SOURCES = (
    " UNION ALL SELECT s.{pk} FROM {table} s"
    " WHERE s.locale_id IN (SELECT l.id FROM {locales} l WHERE l.language_code = %s)"
    " AND s.translation_key IN (SELECT o._key FROM o WHERE o._flag = %s AND {missing})"
)


def _version_ids(queryset, locale_id):
    """The SQL and parameters of `_VERSIONS` for `queryset` in `locale_id`."""
    model = queryset.model
    quote = connections[queryset.db].ops.quote_name
    flags = _flags_untranslated_text(model)
    fields = ["pk", "translation_key", *(["has_untranslated_text"] if flags else [])]
    originals = queryset.values_list(*fields)
    originals.query.clear_ordering(force=False)
    originals_sql, originals_params = originals.query.get_compiler(queryset.db).as_sql()

    shown, shown_params = ["t.locale_id = %s"], [locale_id]
    if issubclass(model, Page):
        shown.append("t.live = %s")
        shown_params.append(True)
    if flags:
        shown.append("t.has_untranslated_text = %s")
        shown_params.append(False)
    names = {
        "table": quote(model.get_translation_model()._meta.db_table),
        "pk": quote(model.get_translation_model()._meta.pk.column),
        "locales": quote(Locale._meta.db_table),
        "columns": "_pk, _key, _flag" if flags else "_pk, _key",
        "originals": originals_sql,
        "shown": " AND ".join(shown),
        "flag": " AND o._flag = %s" if flags else "",
    }
    names["missing"] = _MISSING.format(**names)
    sql = _VERSIONS.format(**names)
    params = [*originals_params, *shown_params, *shown_params]
    if flags:
        sql += _SOURCES.format(**names)
        params += [False, source_language(), True, *shown_params]
    return sql, params


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


def _flags_untranslated_text(model):
    return any(field.name == "has_untranslated_text" for field in model._meta.fields)


def _complete(snippets):
    """Leave out snippet translations that still fall back to source text (the
    source is shown instead: home/models/translation_state.py)."""
    if _flags_untranslated_text(snippets.model):
        return snippets.filter(has_untranslated_text=False)
    return snippets


def source_language():
    """The language code of the site's source locale (English): Wagtail's default
    locale, without the query `Locale.get_default()` makes."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


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


def live_versions(page):
    """Live language versions of `page` (itself included) by language code, each of
    the page's own type, with its locale and `shows_source_text` (its live text falls
    back to the source's: home/models/translation_state.py): one query per page,
    kept on the page for the language switcher, hreflang links, metadata and the
    event's English settings of the same render.

    Every page asks this on every render, so the statement is written out
    (`_VERSIONS_OF_PAGE`) rather than built by the ORM, whose compilation of it cost
    six times its running; tests/home/test_live_versions.py compares the answers
    with the ORM's.
    """
    cached = getattr(page, "_site_translations", None)
    if cached is None:
        cached = {}
        for version in _live_versions_of(page):
            language = version.__dict__.pop("_version_language")
            version.locale = Locale(pk=version.locale_id, language_code=language)
            version.shows_source_text = bool(version.__dict__.pop("_version_falls_back"))
            cached[version.locale.language_code] = version
        page._site_translations = cached
        for version in cached.values():
            if version.pk == page.pk:  # the page's locale comes with it: no query later
                page.locale = version.locale
    return cached


# Columns of every table of the page's type (Page's, then its own), its locale's
# language and whether its live revision falls back to source text, in tree order.
_VERSIONS_OF_PAGE = (
    "SELECT {columns}, l.language_code AS _version_language,"
    " EXISTS (SELECT 1 FROM {fallbacks} f WHERE f.revision_id = p.live_revision_id)"
    " AS _version_falls_back"
    " FROM {pages} p{own_table} INNER JOIN {locales} l ON l.id = p.locale_id"
    " WHERE p.translation_key = %s AND p.live = %s ORDER BY p.path"
)


def _live_versions_of(page):
    model = type(page)
    manager = model._default_manager
    connection = connections[manager.db]
    quote = connection.ops.quote_name
    names = {
        "columns": "p.*",
        "own_table": "",
        "fallbacks": quote(apps.get_model("home", "FallbackRevision")._meta.db_table),
        "pages": quote(Page._meta.db_table),
        "locales": quote(Locale._meta.db_table),
    }
    if model is not Page:
        if model._meta.get_parent_list() != [Page]:
            raise NotImplementedError(f"{model.__name__} is not a direct subclass of Page")
        names["columns"] = "p.*, s.*"
        names["own_table"] = (
            f" INNER JOIN {quote(model._meta.db_table)} s"
            f" ON s.{quote(model._meta.pk.column)} = p.{quote(Page._meta.pk.column)}"
        )
    key = Page._meta.get_field("translation_key").get_db_prep_value(
        page.translation_key, connection
    )
    sql = _VERSIONS_OF_PAGE.format(**names)
    return manager.raw(sql, [key, True])
