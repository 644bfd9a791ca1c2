"""An address without a language goes to the visitor's language only when it leads
somewhere there; otherwise the visitor gets "Page not found" in their language."""

import pytest

from tests.helpers import text_of


def not_found_text(response):
    assert response.status_code == 404, response.get("Location")
    response.status_code = 200  # read it like any page
    return text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, accept_language, words",
    [
        ("/de/", "de-DE,de;q=0.9,fr;q=0.5", "Page introuvable"),
        ("/nonexistent/", "nl", "Pagina niet gevonden"),
        ("/nonexistent/", "en-GB", "Page not found"),
        ("/countries/atlantis/", "fr", "Page introuvable"),
    ],
)
def test_paths_leading_nowhere_are_not_found_in_the_visitors_language(
    client, path, accept_language, words
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert words in not_found_text(response)
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_language_cookie_chooses_the_not_found_page_language(client):
    client.cookies["django_language"] = "nl"
    assert "Pagina niet gevonden" in not_found_text(client.get("/de/"))


@pytest.mark.django_db
def test_an_admin_api_404_is_not_redirected(editor_client):
    response = editor_client.get("/admin/api/main/pages/999999/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, accept_language, expected",
    [
        ("/", "fr", "/fr/"),
        ("/countries/rwanda/", "nl", "/nl/countries/rwanda/"),
        ("/countries/rwanda", "en", "/en/countries/rwanda/"),  # and the missing slash
        ("/search/?q=rwanda", "fr", "/fr/search/?q=rwanda"),  # a view, not a page
    ],
)
def test_paths_leading_somewhere_still_redirect(client, path, accept_language, expected):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected
