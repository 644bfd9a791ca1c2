"""The translation editor shows a chosen English page's title to a translator (it
reads the admin API's page detail), and nothing else of the English tree opens up."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from stories.models import StoryPage
from tests.home.test_translator_roles import XHR, refused

pytestmark = pytest.mark.django_db


def api_detail(page):
    return reverse("wagtailadmin_api:pages:detail", args=[page.pk])


@pytest.fixture
def english_project(locales):
    story = StoryPage.objects.filter(locale=locales["fr"], project__isnull=False).first()
    assert story is not None, "the demo has a French story with a project"
    project = Page.objects.get(pk=story.project_id)
    assert project.locale_id == locales["en"].pk  # copied unchanged by wagtail-localize
    return project


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_translator_reads_the_title_of_an_english_page(as_translator, english_project, language):
    client = as_translator(language)
    response = client.get(api_detail(english_project), headers=XHR)
    assert response.status_code == 200
    assert response.json()["title"] == english_project.title
    assert response.json()["admin_display_title"] == english_project.title


def test_the_english_page_stays_closed_to_a_translator(as_translator, english_project):
    client = as_translator("fr")
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[english_project.pk])))
    # Wagtail's explorer sends a user away from a page they may not explore (to the
    # root of what they may: their own language's home page).
    for english in (english_project, english_project.get_parent()):
        explore = reverse("wagtailadmin_explore", args=[english.pk])
        response = client.get(explore)
        assert refused(response) or (response.status_code == 302 and response.url != explore), (
            response
        )
    listed, offset = set(), 0
    while True:  # every page of the listing (the API caps `limit`)
        listing = client.get(reverse("wagtailadmin_api:pages:listing"), {"offset": offset})
        items = listing.json()["items"]
        listed |= {item["id"] for item in items}
        offset += len(items)
        if not items or offset >= listing.json()["meta"]["total_count"]:
            break
    assert listed and english_project.pk not in listed
    publish = client.post(
        reverse("wagtailadmin_api:pages:action", args=[english_project.pk, "unpublish"]),
        content_type="application/json",
        data={},
    )
    assert publish.status_code == 404
    assert Page.objects.get(pk=english_project.pk).live


def test_another_languages_page_stays_unreadable(as_translator, english_project, locales):
    dutch = english_project.get_translation(locales["nl"])
    assert as_translator("fr").get(api_detail(dutch), headers=XHR).status_code == 404
