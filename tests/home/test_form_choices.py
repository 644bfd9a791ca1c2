"""A survey in three languages: visitors read choices in their language, answers are
stored the same way in every language, so they add up in one result."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from public_forms.models import PublicFormSubmission
from tests.helpers import demo_page, demo_url, soup


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Form posts are rate-limited in the cache, shared by every test of the run."""
    cache.clear()
    yield
    cache.clear()


def post_form(client, page, data):
    """Post a form page's form as a browser does: to its form view, from this site."""
    return client.post(
        page.form_action_url, {"consent": "on", **data}, HTTP_ORIGIN="http://testserver"
    )


@pytest.mark.django_db
def test_choices_read_in_each_language_and_store_one_value(client):
    labels = {}
    for language, advice in [
        ("en", "More events"),
        ("fr", "Plus d’événements"),
        ("nl", "Meer evenementen"),
    ]:
        survey = demo_page("survey", language)
        page = soup(client.get(survey.url))
        options = {o["value"]: o.get_text(strip=True) for o in page.select("#id_country option")}
        labels[language] = options["Rwanda"], options["Palestinian Territory"]
        response = post_form(
            client, survey, {"country": "Rwanda", "topics": ["Entrepreneurship"], "advice": advice}
        )
        assert response.status_code == 200
    assert labels == {
        "en": ("Rwanda", "Palestinian Territory"),
        "fr": ("Rwanda", "Territoire palestinien"),
        "nl": ("Rwanda", "Palestijnse Gebieden"),
    }
    answers = [s.form_data for s in PublicFormSubmission.objects.order_by("pk")]
    assert [a["country"] for a in answers] == ["Rwanda"] * 3
    assert [a["topics"] for a in answers] == [["Entrepreneurship"]] * 3


@pytest.mark.django_db
def test_a_choice_that_is_not_offered_is_refused(client):
    survey = demo_page("survey", "fr")
    response = post_form(client, survey, {"country": "Territoire palestinien", "advice": "x"})
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#id_country")["aria-invalid"] == "true"
    assert not PublicFormSubmission.objects.exists()


@pytest.mark.django_db
def test_a_list_starts_empty_so_nobody_answers_by_accident(client):
    survey = demo_page("survey", "nl")
    first = soup(client.get(survey.url)).select_one("#id_country option")
    assert first["value"] == "" and first.get_text(strip=True) == "Kies…"
    post_form(client, survey, {"advice": "Meer evenementen"})
    assert PublicFormSubmission.objects.get().form_data["country"] == ""


@pytest.mark.django_db
def test_countries_are_listed_in_alphabetical_order_of_the_language(client):
    page = soup(client.get(demo_url("countries", "fr")))
    names = [a.get_text(strip=True) for a in page.select("main .card__title a")]
    assert names.index("Bénin") < names.index("Burkina Faso") < names.index("Burundi")
    assert names[-1] == "Territoire palestinien"
