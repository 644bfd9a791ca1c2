"""Site search: pages of the visitor's language only, labelled by type, paginated,
safe with any input, and its log of terms holds no personal data."""

import pytest
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail_localize.synctree import create_aliases_for_new_page

from events.models import EventPage
from home.models import CountryPage, HomePage, ProjectPage, StandardPage
from newsletter.models import NewsletterIssuePage
from stories.models import StoryPage
from tests.helpers import soup, text_of


def results(response):
    """[(type label, title, href)] of the results shown."""
    return [
        (
            item.select_one(".search-results__type").get_text(strip=True),
            item.select_one("h2 a").get_text(strip=True),
            item.select_one("h2 a")["href"],
        )
        for item in soup(response).select(".search-results__item")
    ]


def written_in(code):
    """URLs of the live pages written in a language (aliases excluded)."""
    pages = Page.objects.live().filter(locale__language_code=code, alias_of__isnull=True)
    return {page.url for page in pages}


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_results_are_pages_of_the_visitors_language(client, code):
    found = results(client.get(f"/{code}/search/", {"q": "diaspora"}))
    assert len(found) == 12  # a full first page
    assert {href for _, _, href in found} <= written_in(code)


@pytest.mark.django_db
def test_a_french_word_finds_the_french_page_only_in_french(client):
    event = EventPage.objects.live().get(locale__language_code="fr", title__icontains="séance")
    titles = [title for _, title, _ in results(client.get("/fr/search/", {"q": "séance"}))]
    assert event.title in titles
    assert "No results for “séance”." in text_of(client.get("/en/search/", {"q": "séance"}))


@pytest.fixture
def untranslated_page(locales):
    """A new English page, with French and Dutch aliases (as the admin makes them)."""
    home = HomePage.objects.get(locale=locales["en"])
    page = StandardPage(
        title="Quokka report", slug="quokka-report", introduction="Quokkas seen this year."
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    create_aliases_for_new_page(page)
    return page


@pytest.mark.django_db
def test_aliases_of_untranslated_pages_are_not_results(client, locales, untranslated_page):
    alias = Page.objects.get(alias_of=untranslated_page, locale=locales["nl"])
    # The alias is live and indexed: only the search's own filter leaves it out.
    assert alias.pk in [
        p.pk for p in Page.objects.live().filter(locale=locales["nl"]).search("quokka")
    ]

    assert [t for _, t, _ in results(client.get("/en/search/", {"q": "quokka"}))] == [
        "Quokka report"
    ]
    assert "Geen resultaten voor ‘quokka’." in text_of(client.get("/nl/search/", {"q": "quokka"}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, label",
    [
        (StoryPage, "Story"),
        (EventPage, "Event"),
        (CountryPage, "Country"),
        (ProjectPage, "Project"),
        (NewsletterIssuePage, "Newsletter issue"),
    ],
)
def test_each_result_says_what_it_is(client, model, label):
    page = model.objects.live().filter(locale__language_code="en").first()
    found = results(client.get("/en/search/", {"q": page.title}))
    assert (label, page.title, page.url) in found


@pytest.mark.django_db
def test_results_are_paginated(client, locales):
    first = client.get("/fr/search/", {"q": "diaspora"})
    html = soup(first)
    total = Page.objects.live().filter(locale=locales["fr"]).search("diaspora").count()
    assert total > 12
    assert f"{total} résultats pour « diaspora »" in text_of(first)
    next_link = html.select_one(".pagination a[rel=next]")["href"]
    second = results(client.get("/fr/search/" + next_link))
    assert len(second) == total - 12
    assert not {href for _, _, href in second} & {href for _, _, href in results(first)}


@pytest.mark.django_db
def test_a_full_page_of_results_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    # Pages of each type are fetched in one query per type, whatever their number.
    with django_assert_max_num_queries(40):
        assert len(results(client.get("/nl/search/", {"q": "diaspora"}))) == 12


@pytest.mark.django_db
def test_no_results_says_so_and_repeats_the_term(client):
    response = client.get("/en/search/", {"q": "zebra <script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert "No results for “zebra <script>alert(1)</script>”." in text_of(response)
    assert soup(response).select("h1")[0].get_text(strip=True) == "Search"


@pytest.mark.django_db
def test_the_search_page_has_one_heading_and_a_labelled_field(client):
    html = soup(client.get("/nl/search/"))
    assert len(html.select("h1")) == 1
    for field in html.select("input[name=q]"):
        assert html.select_one(f"label[for={field['id']}]").get_text(strip=True)
    assert not html.select(".search-results__item")


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_every_page_has_a_search_form_in_its_header(client, code):
    form = soup(client.get(f"/{code}/")).select_one("header form[role=search]")
    assert form["action"] == f"/{code}/search/"
    assert form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").get_text(strip=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "diaspora", "page": "-1"},
        {"q": "diaspora", "page": "abc"},
        {"q": "diaspora", "page": "99999"},
        {"q": '"'},
        {"q": "NEAR( * OR AND -"},
        {"q": "<script>"},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": ""},
        {},
    ],
)
def test_odd_input_gives_a_page(client, params):
    assert client.get("/en/search/", params).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ("a" * 2000, "Your search is too long"),
        ("diaspora\x00", "cannot be searched for"),
    ],
)
def test_unsearchable_input_gets_a_clear_400(client, query, message):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 400
    response.status_code = 200
    assert message in text_of(response)
    assert not Query.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_in_the_address_is_refused(client):
    assert client.get("/en/search/?q=%00").status_code == 400


@pytest.mark.django_db
def test_terms_are_counted_without_personal_data(client):
    for query in ["Diaspora", "diaspora", "jan.peeters@example.org", "+32 2 123 45 67"]:
        client.get("/en/search/", {"q": query})
    client.get("/en/search/", {"q": "diaspora", "page": "2"})  # paging is not a new search

    assert list(Query.objects.values_list("query_string", flat=True)) == ["diaspora"]
    assert Query.objects.get().hits == 2


@pytest.mark.django_db
def test_recording_is_rate_limited_per_address_and_results_still_show(client):
    from discovery.search import RECORD_RATE_LIMIT

    limit = RECORD_RATE_LIMIT[0]
    for _ in range(limit + 5):
        response = client.get("/en/search/", {"q": "diaspora"}, REMOTE_ADDR="203.0.113.9")
    assert Query.objects.get().hits == limit
    # Past the limit, the results are still there: only the recording stopped.
    assert response.status_code == 200
    assert results(response)
    # Another address is still counted.
    client.get("/en/search/", {"q": "diaspora"}, REMOTE_ADDR="203.0.113.10")
    assert Query.objects.get().hits == limit + 1
