"""The "Translate" buttons a translator is offered in the page explorer: only where the
translation would be theirs to start, and at a cost that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.models import StoryIndexPage
from tests.translation_publishing import new_english_story, page_in

pytestmark = pytest.mark.django_db


def explorer(client, index):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/pages/{index.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_translator_is_offered_translate_on_untranslated_pages_at_a_fixed_cost(
    as_translator, locales
):
    client = as_translator("fr")
    index = StoryIndexPage.objects.get(locale=locales["fr"])
    first = page_in(new_english_story("The beekeepers of Kigali"), "fr")
    explorer(client, index)  # warm the caches a first visit fills
    html, queries = explorer(client, index)
    submit = f"/admin/localize/submit/page/{first.alias_of_id}/?select_locale=fr"
    assert submit in html

    for n in range(5):
        new_english_story(f"Another story {n}")
    html, more_queries = explorer(client, index)
    assert html.count("?select_locale=fr") >= 6
    assert "select_locale=nl" not in html
    assert more_queries == queries, (queries, more_queries)
