"""What every page pays comes from queries compiled once (home/compiled_queries.py):
after a content change (the chrome cold), a standard page and the subscribe page
are served without Django compiling any SQL, in every language, with the queries
they had when this was written. A change that brings back a queryset built on
every request fails here."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from pagecache.generation import invalidate

pytestmark = pytest.mark.django_db

PAGES = [
    # The site, the route (2), the view restrictions, the language versions, the
    # menu, the footer, the menu's and footer's pages, the contact settings.
    ("/en/about/", 9),
    ("/fr/a-propos/", 9),
    ("/nl/over-ons/", 9),
    # The countries of the form, the locale, then the chrome (4).
    ("/en/newsletter/subscribe/", 6),
    ("/fr/newsletter/subscribe/", 6),
    ("/nl/newsletter/subscribe/", 6),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_every_page_pays_only_compiled_queries(client, monkeypatch, url, queries):
    assert client.get(url).status_code == 200
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        found = as_sql(compiler, *args, **kwargs)
        compiled.append(found[0])
        return found

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert b'class="site-nav"' in response.content and b"site-footer" in response.content
    assert compiled == []
    assert len(captured) == queries
