"""A compiled query gives what its queryset gives, in one query, whatever the values:
model instances with their related objects and annotations, values_list() tuples,
lists of any length; and it refuses a value Django would rewrite rather than answer
wrongly (home/compiled_queries.py)."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from home.compiled_queries import CompiledQuery

pytestmark = pytest.mark.django_db


def _fields(obj):
    return {name: value for name, value in vars(obj).items() if not name.startswith("_")}


def _translations(key, code):
    return (
        Page.objects.filter(Q(translation_key=key) | Q(locale__language_code=code, depth=2))
        .select_related("locale")
        .annotate(has_aliases=Exists(Page.objects.filter(alias_of=OuterRef("pk"))))
        .order_by("path")
    )


def test_instances_with_related_objects_and_annotations_are_djangos():
    # A UUID would be rewritten by Django: it is compared through a subquery.
    query = CompiledQuery(
        lambda pk, code: _translations(
            Page.objects.filter(pk=pk).values("translation_key")[:1], code
        )
    )
    for page in Page.objects.filter(depth__gt=1):
        for code in ("en", "fr", "nl"):
            mine = query(pk=page.pk, code=code)
            djangos = list(_translations(page.translation_key, code))
            assert [type(obj) for obj in mine] == [type(obj) for obj in djangos]
            assert [_fields(obj) for obj in mine] == [_fields(obj) for obj in djangos]
            assert [_fields(obj.locale) for obj in mine] == [_fields(obj.locale) for obj in djangos]
            assert all(obj._state.db == "default" and not obj._state.adding for obj in mine)


def test_values_lists_of_any_length_are_djangos():
    ids = list(Page.objects.order_by("pk").values_list("pk", flat=True))
    query = CompiledQuery(
        lambda ids, depth: (
            Page.objects.filter(pk__in=ids, depth__gte=depth)
            .order_by("-pk")
            .values_list("pk", "title", "live", "last_published_at", "locale__language_code")
        )
    )
    for length in (0, 1, 2, 5, len(ids)):
        for depth in (1, 3):
            chosen = ids[:length]
            expected = list(
                Page.objects.filter(pk__in=chosen, depth__gte=depth)
                .order_by("-pk")
                .values_list("pk", "title", "live", "last_published_at", "locale__language_code")
            )
            assert query(ids=chosen, depth=depth) == expected
    assert query(ids=ids, depth=1)
    assert isinstance(query(ids=ids, depth=1)[0][2], bool)


def test_a_compiled_query_is_one_query_and_a_slice_stays_a_slice():
    query = CompiledQuery(lambda depth: Page.objects.filter(depth=depth).order_by("pk")[:2])
    with CaptureQueriesContext(connection) as queries:
        found = query(depth=3)
    assert len(queries) == 1
    assert [page.pk for page in found] == [
        page.pk for page in Page.objects.filter(depth=3).order_by("pk")[:2]
    ]


def test_values_django_would_rewrite_are_refused():
    with pytest.raises(ValueError, match="as it is"):
        CompiledQuery(lambda path: Page.objects.filter(path__startswith=path))(path="0001")
    with pytest.raises(TypeError):
        CompiledQuery(lambda live: Page.objects.filter(live=live))(live=True)
    with pytest.raises(ValueError, match="prefetch"):
        CompiledQuery(lambda pk: Page.objects.filter(pk=pk).prefetch_related("aliases"))(pk=1)
