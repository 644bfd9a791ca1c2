"""Country and project pages gather what points at them, in the visitor's language.

wagtail-localize copies links between pages unchanged into translations (a French
story still points at the English country page); the pages must still show the
French and Dutch versions of what they list.
"""

import pytest

from home.i18n import localize_pages, localized
from home.models import CountryPage, Partner, ProjectPage
from stories.models import StoryPage
from tests.helpers import demo_page, demo_url, soup, text_of
from tests.translating import translate


def links_in(response, selector="main a"):
    return {a.get("href") for a in soup(response).select(selector)}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_country_page_lists_projects_stories_and_events_of_its_language(client, language):
    niger = CountryPage.objects.get(country="NE", locale__language_code=language)
    response = client.get(niger.url)
    links = links_in(response)
    for related in [
        demo_page("projects/iom-belgium-and-niger", language),
        demo_page("stories/mission-to-niger-and-tahoua-job-fair", language),
        demo_page("events/rencontre-des-nigeriens-d-europe", language),
    ]:
        assert related.url.startswith(f"/{language}/")
        assert related.url in links


@pytest.mark.django_db
def test_a_translated_story_appears_on_the_french_country_page_only(client, locales):
    story = StoryPage.objects.get(slug="mission-to-niger-and-tahoua-job-fair", locale=locales["en"])
    dutch_title = story.get_translation(locales["nl"]).title
    translate(story, locales["fr"], title="Une mission au Niger (titre modifié)")

    french = text_of(client.get(demo_url("countries/niger", "fr")))
    english = text_of(client.get("/en/countries/niger/"))
    dutch = text_of(client.get(demo_url("countries/niger", "nl")))
    assert "Une mission au Niger (titre modifié)" in french
    assert "A mission to Niger and a job fair in Tahoua" not in french
    assert "A mission to Niger and a job fair in Tahoua" in english
    assert "titre modifié" not in english and "titre modifié" not in dutch
    assert dutch_title in dutch


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_project_page_links_its_countries_in_its_own_language(client, language):
    project = demo_page("projects/rwanda-health-and-education", language)
    response = client.get(project.url)
    assert demo_url("countries/rwanda", language) in links_in(response)
    assert "/en/countries/rwanda/" not in links_in(response)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_newsletter_issue_links_pages_in_its_own_language(client, language):
    """Pages chosen in the issue's StreamField (events, projects, the survey) are linked
    in the reader's language."""
    response = client.get(demo_url("newsletter/issue-1", language))
    links = {href for href in links_in(response) if href.startswith("/")}
    assert demo_url("events/rwanda-diaspora-info-session", language) in links
    assert demo_url("projects/women-diaspora-4dev-academy", language) in links
    assert demo_url("survey", language) in links
    assert not [href for href in links if href.startswith("/en/")]


@pytest.mark.django_db
def test_localized_queryset_swaps_in_translations_in_one_query(locales, django_assert_num_queries):
    project = ProjectPage.objects.get(slug="iom-belgium-and-niger", locale=locales["en"])
    partners = project.partners.all()
    # One partner without a Dutch version: it stays in English.
    Partner.objects.get(name="IOM Niger", locale=locales["nl"]).delete()
    with django_assert_num_queries(1):
        result = list(localized(partners, locales["nl"].pk))
    assert {(p.name, p.locale_id) for p in result} == {
        ("CIPMEN", locales["nl"].pk),
        ("IOM Niger", locales["en"].pk),
        ("Universiteit van Tahoua", locales["nl"].pk),
    }


@pytest.mark.django_db
def test_localize_pages_costs_the_same_for_one_page_or_many(locales, django_assert_num_queries):
    countries = list(CountryPage.objects.filter(locale=locales["en"]))
    with django_assert_num_queries(2):  # the pages, then their specific rows (one type)
        mapping = localize_pages(countries, locales["nl"].pk)
    assert len(mapping) == 15
    assert all(page.locale_id == locales["nl"].pk for page in mapping.values())
