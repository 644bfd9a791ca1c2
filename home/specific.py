"""Pages of several types with their own fields, in one query.

Wagtail's `PageQuerySet.specific()` fetches each page type's own fields in a query of
its own, one per type among the pages (a search result page showing ten kinds of
page paid ten). Here the pages' rows are joined with the tables of the types asked
for (`select_related` through the reverse parent links, a LEFT JOIN each), and
Django builds each page's specific instance from the same row: one query whatever
the mix of types. StreamFields of the joined types are left out (deferred), as
Wagtail's `defer_streamfields()` does: the pages are shown in lists, not read whole.

The joins' SQL is compiled once per set of types and number of pages
(`home.compiled_queries`): building and compiling a dozen joins took Django longer
than the database takes to answer them.
"""

import functools

from django.contrib.contenttypes.models import ContentType
from wagtail.fields import StreamField
from wagtail.models import Page

from home.compiled_queries import CompiledQuery

# Sets of types whose joins are kept compiled; beyond it the oldest half goes.
MAX_COMPILED = 256
_compiled = {}


@functools.cache
def _path(model):
    """The lookup from Page down to `model`'s own table ("storypage"), and the
    reverse parent links it follows."""
    links = []
    while model is not Page:
        parent, link = next(
            (parent, link)
            for parent, link in model._meta.parents.items()
            if issubclass(parent, Page)
        )
        links.append(link.remote_field)
        model = parent
    links.reverse()
    return "__".join(link.field.related_query_name() for link in links), tuple(links)


def with_specific(queryset, models):
    """`queryset` (of Page) with the own fields of the page types `models` joined in;
    read each page's specific instance with `specific()`."""
    lookups, deferred = [], []
    for model in models:
        if model is Page:
            continue
        lookup, _links = _path(model)
        lookups.append(lookup)
        deferred += [
            f"{lookup}__{field.name}"
            for field in model._meta.local_concrete_fields
            if isinstance(field, StreamField)
        ]
    return queryset.select_related(*lookups).defer(*deferred)


def specific(page, model=None):
    """The instance of `model` (by default the page's own type) that `with_specific`
    joined to `page`; None when that type was not joined or the page is not one."""
    model = model or ContentType.objects.get_for_id(page.content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    instance = page
    for link in _path(model)[1]:
        if not link.is_cached(instance):
            return None
        instance = link.get_cached_value(instance)
        if instance is None:
            return None
    return instance


def page_types(pages):
    """The page types (models) of `pages`, as their content types say."""
    models = {ContentType.objects.get_for_id(page.content_type_id).model_class() for page in pages}
    return {model for model in models if model is not None}


def specific_pages(pages):
    """`pages` (plain Page rows), each as its own type, in one query whatever the
    types (none for no pages); a page whose type is gone stays as it is."""
    pages = list(pages)
    joined = _joined_rows([(page.pk, page.content_type_id) for page in pages])
    return [specific(joined[page.pk]) or page if page.pk in joined else page for page in pages]


def specific_pages_by_id(pages):
    """As `specific_pages` for pages given as (id, content type id); a page gone
    since (not found) is left out, one whose type is gone is a plain Page."""
    joined = _joined_rows(pages)
    return [specific(joined[pk]) or joined[pk] for pk, _ in pages if pk in joined]


def _joined_rows(pages):
    """{id: the page's row with its own type's joined} for (id, content type id)."""
    if not pages:
        return {}
    models = {ContentType.objects.get_for_id(type_id).model_class() for _, type_id in pages}
    models.discard(None)
    return {row.pk: row for row in _joined(models)(ids=[pk for pk, _ in pages])}


def compiled_with_specific(models, build):
    """A `CompiledQuery` of `with_specific(build(**values), models)`, one per set of
    `models` and `build` (a function of the module, so the set is bounded)."""
    key = (frozenset(models), build)
    query = _compiled.get(key)
    if query is None:
        if len(_compiled) >= MAX_COMPILED:
            for old in list(_compiled)[: MAX_COMPILED // 2]:
                _compiled.pop(old, None)
        ordered = sorted(key[0], key=lambda model: model._meta.label)
        query = _compiled[key] = CompiledQuery(
            lambda **values: with_specific(build(**values), ordered)
        )
    return query


def _pages(ids):
    return Page.objects.filter(pk__in=ids).order_by()


def _joined(models):
    return compiled_with_specific(models, _pages)
