"""The subscription form shown on newsletter pages is kept rendered in the cache
(newsletter/templatetags/newsletter_tags.py): it must still follow the content, the
language and the page it is on."""

import pytest
from django.test import override_settings
from wagtail.models import Locale

from home.models import CountryIndexPage, CountryPage
from tests.helpers import demo_url, soup

pytestmark = pytest.mark.django_db


def countries_offered(client, url):
    page = soup(client.get(url))
    return [label.get_text(strip=True) for label in page.select("#id_subscribe_countries label")]


def source_of(client, url):
    return soup(client.get(url)).select_one("form.form--subscribe input[name=source]")["value"]


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_country_published_since_shows_in_the_form_at_once(client):
    issue = demo_url("newsletter/issue-1", "fr")
    before = countries_offered(client, issue)
    assert before == countries_offered(client, issue)  # from the cache, the same
    index = CountryIndexPage.objects.get(locale=Locale.objects.get(language_code="en"))
    country = CountryPage(title="Cabo Verde", slug="cabo-verde", country="CV")
    index.add_child(instance=country)
    country.save_revision().publish()
    after = countries_offered(client, issue)
    assert len(after) == len(before) + 1 and "Cabo Verde" in after


@override_settings(PAGE_CACHE_SECONDS=0)
def test_each_page_and_language_gets_its_own_form(client):
    index, issue = demo_url("newsletter", "nl"), demo_url("newsletter/issue-1", "nl")
    assert source_of(client, index) == index
    assert source_of(client, issue) == issue
    assert source_of(client, demo_url("newsletter/issue-1", "en")) == demo_url("newsletter/issue-1")
    french = soup(client.get(demo_url("newsletter/issue-1", "fr")))
    assert french.select_one("#id_subscribe_language option[selected]")["value"] == "fr"
    dutch = soup(client.get(issue))
    assert dutch.select_one("#id_subscribe_language option[selected]")["value"] == "nl"
