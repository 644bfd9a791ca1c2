"""Each object's version in a language, read with SQL written out here.

`localized` and `chosen_versions` find what a page links to in the page's language,
`live_versions` a page's own language versions (every page asks, on every render).
The ORM compiled the same statements at several times the cost of running them;
written out, they take the caller's queryset compiled once, or nothing from the
ORM at all. Their answers are compared with the ORM versions they replace:
tests/home/test_localized.py and tests/home/test_live_versions.py. Only quoted
identifiers and SQL compiled by the ORM are formatted into a statement; values are
always parameters.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page


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
    return manager.filter(pk__in=RawSQL(sql, params))  # noqa: S611 (see the module's doc)


def chosen_versions(model, locale_id, *, relations=(), ids=(), order_by=None):
    """What pages chose, in `locale_id`: the objects of the many-to-many relations
    `relations` ((page, field name) pairs) and those with the ids `ids`, each
    replaced as `localized` does, as rows of `model` (one table: `Page` itself, a
    snippet) ordered by the fields `order_by` (by default as the model's manager
    orders it, as `localized` would).

    The statement is written out whole, the objects chosen included, so the ORM
    compiles nothing: what an event or a story shows of what it links to costs a
    fifth of what it did with `localized`."""
    _check_one_table(model)
    quote = connections[model._default_manager.db].ops.quote_name
    names = _names(model, quote)
    flag = ", x.has_untranslated_text" if flags_untranslated_text(model) else ""
    parts, params = [], []
    ids = [pk for pk in ids if pk is not None]
    for page, name in relations:
        chosen = getattr(page, name).all()
        if not isinstance(chosen, QuerySet):  # held in memory: an editor's preview
            ids += [obj.pk for obj in chosen]
            continue
        field = page._meta.get_field(name)
        if not issubclass(field.related_model, model):
            raise ValueError(f"{name} does not choose {model.__name__} objects")
        through = {
            "through": quote(field.m2m_db_table()),
            "source": quote(field.m2m_column_name()),
            "target": quote(field.m2m_reverse_name()),
        }
        parts.append(_CHOSEN_IN_RELATION.format(**names, **through, flag=flag))
        params.append(page.pk)
    if ids:
        placeholders = ", ".join(["%s"] * len(ids))
        parts.append(_CHOSEN_BY_ID.format(**names, flag=flag, placeholders=placeholders))
        params += ids
    if not parts:
        return []
    versions, versions_params = _versions(
        model, names, " UNION ALL ".join(parts), params, locale_id
    )
    return _rows(model, versions, versions_params, order_by)


_CHOSEN_IN_RELATION = (
    "SELECT x.{pk}, x.translation_key{flag} FROM {table} x"
    " INNER JOIN {through} r ON r.{target} = x.{pk} WHERE r.{source} = %s"
)
_CHOSEN_BY_ID = (
    "SELECT x.{pk}, x.translation_key{flag} FROM {table} x WHERE x.{pk} IN ({placeholders})"
)


def _check_one_table(model):
    if model._meta.get_parent_list():
        raise ValueError(f"{model.__name__} has more than one table: use localized()")


def _rows(model, ids, params, order_by):
    """The rows of `model` whose ids the statement `ids` selects, as objects."""
    manager = model._default_manager
    quote = connections[manager.db].ops.quote_name
    order = [
        quote(_field(model, name.removeprefix("-")).column)
        + (" DESC" if name.startswith("-") else "")
        for name in (_default_ordering(model) if order_by is None else order_by)
    ]
    sql = _ROWS.format(
        **_names(model, quote), ids=ids, order=f" ORDER BY {', '.join(order)}" if order else ""
    )
    return list(manager.raw(sql, params))


_ROWS = "SELECT * FROM {table} WHERE {pk} IN ({ids}){order}"


@cache
def _default_ordering(model):
    """How the model's default manager orders it (Wagtail's pages: by tree path)."""
    return list(model._default_manager.all().query.order_by or model._meta.ordering)


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _as_queryset(objects):
    """`objects` as a queryset: modelcluster holds a relation of the page an editor
    previews in memory, as a list of objects (a FakeQuerySet)."""
    if isinstance(objects, QuerySet):
        return objects
    return objects.model._default_manager.filter(pk__in=[obj.pk for obj in objects])


# The ids of the objects' versions to show, from `o`, the objects chosen (their
# _pk, _key and, for snippets, _flag): the translations `shown` in the locale, then
# the objects that have none, and for snippets whose object falls back to source
# text, the source instead. `{table}` is the translation model's.
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


def _names(model, quote):
    translations = model.get_translation_model()._meta
    return {"table": quote(translations.db_table), "pk": quote(translations.pk.column)}


def _version_ids(queryset, locale_id):
    """The SQL and parameters of `_VERSIONS` for the objects of `queryset`."""
    model = queryset.model
    fields = ["pk", "translation_key"]
    if flags_untranslated_text(model):
        fields.append("has_untranslated_text")
    originals = queryset.values_list(*fields)
    originals.query.clear_ordering(force=False)
    sql, params = originals.query.get_compiler(queryset.db).as_sql()
    names = _names(model, connections[queryset.db].ops.quote_name)
    return _versions(model, names, sql, params, locale_id)


def _versions(model, names, originals, originals_params, locale_id):
    """The SQL and parameters of `_VERSIONS` for the objects `originals` selects."""
    flags = flags_untranslated_text(model)
    shown, shown_params = ["t.locale_id = %s"], [locale_id]
    if issubclass(model, Page):
        shown.append("t.live = %s")
        shown_params.append(True)
    if flags:
        shown.append("t.has_untranslated_text = %s")
        shown_params.append(False)
    names = {
        **names,
        "locales": connections[model._default_manager.db].ops.quote_name(Locale._meta.db_table),
        "columns": "_pk, _key, _flag" if flags else "_pk, _key",
        "originals": originals,
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


def flags_untranslated_text(model):
    return any(field.name == "has_untranslated_text" for field in model._meta.fields)


def source_language():
    """The language code of the site's source locale (English): Wagtail's default
    locale, without the query `Locale.get_default()` makes."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


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
    " FROM {pages} p{own_tables} INNER JOIN {locales} l ON l.id = p.locale_id"
    " WHERE p.translation_key = %s AND p.live = %s ORDER BY p.path"
)


def _live_versions_of(page):
    model = type(page)
    manager = model._default_manager
    connection = connections[manager.db]
    quote = connection.ops.quote_name
    page_pk = quote(Page._meta.pk.column)
    own_tables = [table for table in [model, *model._meta.get_parent_list()] if table is not Page]
    names = {
        "columns": ", ".join(["p.*", *(f"t{n}.*" for n in range(len(own_tables)))]),
        "own_tables": "".join(
            f" INNER JOIN {quote(table._meta.db_table)} t{n}"
            f" ON t{n}.{quote(table._meta.pk.column)} = p.{page_pk}"
            for n, table in enumerate(own_tables)
        ),
        # By name: home.models imports home.i18n, which imports this module.
        "fallbacks": quote(apps.get_model("home", "FallbackRevision")._meta.db_table),
        "pages": quote(Page._meta.db_table),
        "locales": quote(Locale._meta.db_table),
    }
    key = Page._meta.get_field("translation_key").get_db_prep_value(
        page.translation_key, connection
    )
    return manager.raw(_VERSIONS_OF_PAGE.format(**names), [key, True])
