"""Visitors move between languages without dead ends."""

import pytest
from wagtail.models import Page
from wagtail_localize.synctree import create_aliases_for_new_page

from home.models import HomePage, StandardPage
from tests.helpers import demo_page, demo_url, soup, text_of

LANGUAGES = ["en", "fr", "nl"]


@pytest.fixture
def untranslated_page(locales):
    """A new English page, reachable in French and Dutch as aliases (as the admin's
    page-creation hook makes them)."""
    home = HomePage.objects.get(locale=locales["en"])
    page = StandardPage(
        title="Annual report", slug="annual-report", introduction="What the office did this year."
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    create_aliases_for_new_page(page)
    return page


@pytest.mark.django_db
def test_switcher_links_every_demo_page_to_a_live_page_in_each_language(client):
    """Every language link of every page leads to a page that answers, marked with its
    language."""
    checked = 0
    for page in Page.objects.live().filter(depth__gt=1, locale__language_code="fr"):
        html = soup(client.get(page.url))
        switcher = html.select(".language-switcher a")
        assert [a["hreflang"] for a in switcher] == LANGUAGES
        # The <head> announces the same versions (every demo page is translated).
        alternates = {
            link["hreflang"]: link["href"]
            for link in html.select('link[rel="alternate"][hreflang]')
        }
        assert set(alternates) == {*LANGUAGES, "x-default"}
        for link in switcher:
            assert alternates[link["hreflang"]].endswith(link["href"])
        for link in switcher:
            assert link["lang"] == link["hreflang"]
            assert link["href"].startswith(f"/{link['hreflang']}/")
            assert client.get(link["href"]).status_code == 200, link["href"]
            checked += 1
    assert checked == 40 * 3


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_points_at_the_same_page_in_each_language(client, language):
    page = soup(client.get(demo_url("projects/iom-belgium-and-niger", language)))
    hrefs = {a["hreflang"]: a["href"] for a in page.select(".language-switcher a")}
    assert hrefs == {code: demo_url("projects/iom-belgium-and-niger", code) for code in LANGUAGES}
    current = page.select_one('.language-switcher a[aria-current="true"]')
    assert current["hreflang"] == language
    assert [a.get_text(strip=True) for a in page.select(".language-switcher a")] == [
        "English",
        "Français",
        "Nederlands",
    ]


@pytest.mark.django_db
def test_untranslated_page_says_so_in_the_visitors_language(client, untranslated_page):
    dutch = client.get("/nl/annual-report/")
    page = soup(dutch)
    assert page.html["lang"] == "nl"
    notice = page.select_one(".notice--untranslated").get_text(" ", strip=True)
    assert "Deze pagina is nog niet beschikbaar in het Nederlands" in notice
    assert page.select_one(".notice--untranslated a")["href"] == "/en/annual-report/"
    # The text itself is marked as English, and search engines are sent to the source.
    assert page.select_one(".site-main__content")["lang"] == "en"
    assert page.select_one('link[rel="canonical"]')["href"].endswith("/en/annual-report/")
    assert "What the office did this year." in text_of(dutch)
    french = soup(client.get("/fr/annual-report/"))
    assert "Cette page n’est pas encore disponible en français" in french.select_one(
        ".notice--untranslated"
    ).get_text(" ", strip=True)
    english = soup(client.get("/en/annual-report/"))
    assert english.select_one(".notice--untranslated") is None


@pytest.mark.django_db
def test_hreflang_alternates_leave_out_untranslated_versions(client, untranslated_page):
    page = soup(client.get("/en/annual-report/"))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')
    }
    assert set(alternates) == {"en", "x-default"}


@pytest.mark.django_db
def test_hreflang_alternates_list_every_translation(client):
    fr_page = demo_page("projects/iom-belgium-and-niger", "fr")
    page = soup(client.get(fr_page.url))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')
    }
    expected = {"en", "x-default"} | ({"fr"} if not fr_page.alias_of_id else set())
    nl_page = demo_page("projects/iom-belgium-and-niger", "nl")
    expected |= {"nl"} if not nl_page.alias_of_id else set()
    assert set(alternates) == expected
    assert alternates["x-default"] == alternates["en"]
    assert all(url.startswith("http") for url in alternates.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie, accept_language, expected",
    [
        ("nl", "fr-BE,fr;q=0.9", "/nl/"),  # the language chosen before wins
        ("fr", "", "/fr/"),
        ("xx", "nl", "/nl/"),  # an unknown cookie value is ignored
        ("", "en-GB,en;q=0.8,fr;q=0.5", "/en/"),
    ],
)
def test_root_redirect_uses_cookie_then_accept_language(client, cookie, accept_language, expected):
    if cookie:
        client.cookies["django_language"] = cookie
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected
