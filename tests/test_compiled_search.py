"""The search compiled once per shape (discovery.compiled_search, used by
discovery.search.results_page) gives Wagtail's answers: for each term and language,
the same results in the same order, the same total and the same page of the
paginator as Wagtail's search paginated as `home.models.base.paginate` does, and the
same pages made specific. The terms: found in many pages, in one, in none; capitals,
accents, composed and decomposed; quotes, operators of the full-text syntaxes,
stop words, hyphens, digits, scripts beyond Latin, the stand-ins themselves, and
long terms of one word and of many. On SQLite and on PostgreSQL (DATABASE_URL).
"""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from discovery import compiled_search
from discovery.compiled_search import CompiledSearch, _stand_ins
from discovery.search import WORDS, results_page, search_pages
from home.models.base import PAGE_SIZE
from home.specific import specific_pages, specific_pages_by_id
from pagecache.generation import invalidate

pytestmark = pytest.mark.django_db

TERMS = [
    "diaspora",
    "Diaspora",
    "DIASPORA",
    "rwanda",
    "academy",
    "issue",
    "idiaspora",
    "interview",
    "xylophone",
    "women diaspora",
    "diaspora women",
    "diaspora xylophone",
    "women diaspora 4dev academy",
    '"diaspora"',
    '"women diaspora"',
    "diaspora'",
    "l'académie",
    "séance",
    "Séance",
    "SÉANCE",
    "se\u0301ance",  # decomposed: e and a combining accent
    "réunion d'information",
    "naïve café",
    "straße",
    "ﬁnance",  # a ligature
    "ŁÓDŹ",
    "日本語",
    "диаспора",
    "_",
    "a_b",
    "123",
    "2026",
    "diaspora OR rwanda",
    "diaspora AND NOT rwanda",
    "NEAR diaspora",
    "diaspora*",
    "-diaspora",
    "rwanda-diaspora",
    "title:diaspora",
    "{title body} : diaspora",
    "^diaspora",
    "the of and",
    "de la le",
    "het van de",
    "%s %% 100%",
    "\\diaspora\\",
    "'",
    "*",
    "Zx0_ÉqzÅß",  # the stand-ins themselves
    "Zx0_ÖqzŁß Zx1_ÉqzÅß",
    "x" * 200,
    "diaspora" + "a" * 150,
    " ".join(["diaspora"] * 40),
    " ".join(f"w{n}" for n in range(60)),
]


def _wagtails(term, locale, number):
    """Wagtail's search paginated as `paginate` did: the page, its rows."""
    page = Paginator(search_pages(term, locale), PAGE_SIZE).get_page(number)
    return page, list(page.object_list)


def _same(term, locale, number):
    ours, shown = results_page(term, locale.pk, number)
    wagtails, rows = _wagtails(term, locale, number)
    assert ours.paginator.count == wagtails.paginator.count, term
    assert ours.number == wagtails.number, term
    assert (ours.start_index(), ours.end_index()) == (wagtails.start_index(), wagtails.end_index())
    assert shown == [(page.pk, page.content_type_id) for page in rows], term
    ours_specific, wagtails_specific = specific_pages_by_id(shown), specific_pages(rows)
    assert ours_specific == wagtails_specific
    assert [type(page) for page in ours_specific] == [type(page) for page in wagtails_specific]
    return wagtails.paginator.count


@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_every_term_gives_wagtails_results(code):
    compiled_search.forget()
    locale = Locale.objects.get(language_code=code)
    counts = {term: _same(term, locale, None) for term in TERMS}
    assert counts["diaspora"] >= PAGE_SIZE
    assert counts["xylophone"] == 0
    assert counts["diaspora xylophone"] == 0
    # Compiled once per shape (none refused), then run again: the same answers.
    shapes = compiled_search._shapes.values()
    assert shapes and not [shape for shape in shapes if isinstance(shape, ValueError)]
    for term in TERMS:
        _same(term, locale, None)


@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_every_page_number_gives_wagtails_page(code):
    locale = Locale.objects.get(language_code=code)
    for number in [None, "1", "2", "3", "99", "12000", str(2**40), "0", "-1", "x", "1.5", ""]:
        _same("diaspora", locale, number)
        _same("xylophone", locale, number)


def test_a_search_of_words_is_one_query_once_compiled():
    locale = Locale.objects.get(language_code="fr")
    for term in ["diaspora", "xylophone", "séance réunion"]:
        results_page(term, locale.pk, None)
        with CaptureQueriesContext(connection) as queries:
            results_page(term, locale.pk, None)
        assert len(queries) == 1, term


def test_the_words_reach_the_sql_as_they_are_or_it_is_refused():
    locale = Locale.objects.get(language_code="en")
    words = _stand_ins(2, 0)
    assert all(WORDS.fullmatch(word) for word in words)

    def build(changed):
        def queryset(words):
            results = search_pages(" ".join(changed(word) for word in words), locale)
            return compiled_search.page_rows(results[0:PAGE_SIZE], ("pk",))

        return queryset

    assert CompiledSearch(build(lambda word: word), 2, connection.alias).run(["diaspora", "women"])
    for changed in (str.lower, str.upper, lambda word: word[:3]):
        with pytest.raises(ValueError, match="as they are|stand-in|reach no"):
            CompiledSearch(build(changed), 2, connection.alias)


@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_the_search_page_compiles_no_sql_but_the_terms_record(client, monkeypatch, code):
    """After a content change (the chrome cold), a search already made once is
    served without Django compiling SQL, but for recording its term (Wagtail's)."""
    url = f"/{code}/search/?q=diaspora+academy"
    assert client.get(url).status_code == 200
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        found = as_sql(compiler, *args, **kwargs)
        compiled.append(found[0])
        return found

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    invalidate()
    assert b"search-results__item" in client.get(url).content
    assert compiled and all("wagtailsearchpromotions" in sql for sql in compiled)
