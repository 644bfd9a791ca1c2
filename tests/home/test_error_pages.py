"""Odd addresses get a helpful page in the visitor's language, never a crash."""

import pytest

from tests.helpers import demo_url, text_of


def not_found_text(response):
    assert response.status_code == 404
    response.status_code = 200  # read it like any page
    return text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, words",
    [
        ("/en/no-such-page/", "Page not found"),
        ("/fr/page-inexistante/", "Page introuvable"),
        ("/nl/bestaat-niet/", "Pagina niet gevonden"),
    ],
)
def test_missing_pages_say_so_in_their_language(client, url, words):
    assert words in not_found_text(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "listing, language, query",
    [
        ("stories", "en", "?page=-1"),
        ("stories", "en", "?page=abc"),
        ("stories", "en", "?page=%00&kind=%00"),
        ("events", "fr", "?page=99999"),  # /fr/evenements/
        ("countries", "nl", "?page=1e9"),  # /nl/landen/
    ],
)
def test_bad_listing_parameters_show_a_page(client, listing, language, query):
    assert client.get(demo_url(listing, language) + query).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/xx/", "/en/" + "a" * 5000 + "/", "/en/%ff/"])
def test_odd_paths_are_not_errors(client, url):
    assert client.get(url).status_code in (302, 404)
