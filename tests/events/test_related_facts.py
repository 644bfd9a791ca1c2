"""What an event, a call and a story link to, in the page's language.

Their countries, project, organisers and person point at the English pages and
snippets (wagtail-localize copies links unchanged); the pages show and link the
versions in their own language, in a fixed number of queries, and an editor's
preview shows the choices of the form being edited (held in memory, not saved).
"""

import pytest
from django.test import RequestFactory
from wagtail.models import Locale

from home.i18n import localized
from home.models import CountryPage, Partner
from tests.helpers import demo_page, demo_url, soup

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "nl")
EVENT = "events/rwanda-diaspora-info-session"
CALL = "events/invest-in-a-rwanda-pilot-project"


def facts(response):
    """{label: [(link text, address)]} of the page's facts."""
    rows = {}
    for row in soup(response).select("main dl.facts .facts__row"):
        label = row.select_one("dt").get_text(strip=True)
        rows[label] = [(a.get_text(strip=True), a.get("href")) for a in row.select("dd a")]
        rows[label] = rows[label] or [row.select_one("dd").get_text(" ", strip=True)]
    return rows


def organiser(name, language):
    english = Partner.objects.get(name=name, locale__language_code="en")
    return english.get_translation(Locale.objects.get(language_code=language)).name


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", [EVENT, CALL])
def test_events_and_calls_link_their_countries_and_project_in_their_language(
    client, path, language
):
    page = demo_page(path, language)
    shown = facts(client.get(page.url))
    rwanda = demo_page("countries/rwanda", language)
    project = demo_page("projects/rwanda-health-and-education", language)
    countries_label, project_label = {
        "en": ("Countries", "Project"),
        "fr": ("Pays", "Projet"),
        "nl": ("Landen", "Project"),
    }[language]
    assert shown[countries_label] == [(rwanda.title, rwanda.url)]
    assert shown[project_label] == [(project.title, project.url)]
    organisers = next(value for label, value in shown.items() if label.startswith("Organi"))
    assert organiser("IOM Belgium and Luxembourg", language) in " ".join(
        text if isinstance(text, str) else text[0] for text in organisers
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_story_links_its_country_and_project_in_its_language(client, language):
    story = demo_page("stories/mission-to-niger-and-tahoua-job-fair", language)
    links = {href for row in facts(client.get(story.url)).values() for _text, href in row}
    assert links == {
        demo_url("countries/niger", language),
        demo_url("projects/iom-belgium-and-niger", language),
    }


def test_a_story_without_country_shows_its_project_and_person(client):
    story = demo_page("stories/women-diaspora-4dev-academy-interviews", "fr")
    response = client.get(story.url)
    assert [href for row in facts(response).values() for _text, href in row] == [
        demo_url("projects/women-diaspora-4dev-academy", "fr")
    ]
    assert soup(response).select_one(".person__name").get_text(strip=True) == (
        localized(type(story.person).objects.filter(pk=story.person_id), story.locale_id).get().name
    )


@pytest.mark.parametrize("path", [EVENT, CALL])
def test_a_preview_shows_the_countries_chosen_in_the_form(path):
    """The editor's preview renders the page as the form holds it: its relations are
    in memory (modelcluster), not in the database."""
    page = demo_page(path, "fr")
    chosen = CountryPage.objects.filter(locale__language_code="en", country__in=["NE", "SN"])
    page.countries.set(list(chosen))
    context = page.get_context(RequestFactory().get(page.url))
    french = {demo_page(f"countries/{name}", "fr").pk for name in ("niger", "senegal")}
    assert {country.pk for country in context["countries"]} == french
    response = page.make_preview_request()
    assert response.status_code == 200
    assert demo_url("countries/senegal", "fr") in response.content.decode()
