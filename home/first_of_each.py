"""The first pages of several lists, in one query.

A country page lists the projects, stories, events and calls about its country, each
list in its own order and cut to a few cards; the home page shows the latest pages
of several sections. A query per list costs a query each. Instead, one query over
the pages of all the lists numbers the pages of each list in that list's order (a
window function: ROW_NUMBER() OVER (PARTITION BY the page type ORDER BY that type's
keys)) and keeps those numbered up to the cut. Each page comes as its specific page
(its type's row is joined in, so no query per type), with its listing image and
without its stream fields (no card shows one).

Each list holds the pages of one page type, ordered by that type's keys: a key of
another type is NULL on its rows (a CASE), so it orders nothing there.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, OrderBy, Q, When, Window
from django.db.models.functions import RowNumber
from wagtail.fields import StreamField
from wagtail.models import Page

from home.prepared import prepared


def first_of_each(key, build, lists, limit):
    """{model: its first `limit` pages}, for each (model, order_by) of `lists`, among
    the generic pages `build()` returns (a Page queryset, filtered as every list
    is: live, public, in a locale…). Its SQL is prepared under `key` (home.prepared):
    `key` must name what `build` depends on."""
    lists = tuple(lists)
    types = {ContentType.objects.get_for_model(model).pk: model for model, _ in lists}

    def query():
        pages = build().filter(content_type__in=list(types))
        order = [
            OrderBy(
                Case(When(content_type=content_type, then=_field(model, name))),
                descending=descending,
            )
            for content_type, (model, order_by) in zip(types, lists, strict=True)
            for name, descending in map(_direction, order_by)
        ]
        rank = Window(RowNumber(), partition_by=[F("content_type")], order_by=order)
        return (
            pages.annotate(list_rank=rank)
            .filter(list_rank__lte=limit)
            .select_related(*(f"{_link(model)}__listing_image" for model, _ in lists))
            .defer(*(f"{_link(model)}__{name}" for model, _ in lists for name in _streams(model)))
            .order_by("content_type", "list_rank")
        )

    found = {model: [] for model, _ in lists}
    for page in prepared((*key, tuple(types), limit), query):
        model = types[page.content_type_id]
        found[model].append(page._state.fields_cache.get(_link(model)) or page)
    return found


def pages_of_type(model):
    """A condition on generic pages: those that are (or extend) `model`."""
    return Q(**{f"{_link(model)}__isnull": False})


def _link(model):
    """The name that reaches `model`'s row from its generic page (e.g. "storypage")."""
    return model._meta.get_ancestor_link(Page).remote_field.get_accessor_name()


def _direction(name):
    return (name[1:], True) if name.startswith("-") else (name, False)


def _field(model, name):
    """An order key of `model`'s pages, from the generic page."""
    if name == "pk" or any(field.name == name for field in Page._meta.concrete_fields):
        return F(name)
    return F(f"{_link(model)}__{name}")


def _streams(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, StreamField) and field.model is not Page
    ]
