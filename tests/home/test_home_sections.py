"""The home page leads with the newsletter: sections in the order their index page
types register (`home_section_order`), the latest issue as the lead feature."""

import datetime

import pytest

from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from stories.models import StoryIndexPage
from tests.helpers import demo_url, soup

SECTIONS = {
    "en": ["Newsletter", "Success stories", "Events and calls", "Countries", "Projects"],
    "fr": ["Lettre d’information", "Témoignages", "Événements et appels", "Pays", "Projets"],
}


def section_headings(client, language):
    page = soup(client.get(demo_url("", language)))
    return [h2.get_text(strip=True) for h2 in page.select("main section.section > div > h2")]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_newsletter_leads_then_stories_events_countries_projects(client, language):
    assert section_headings(client, language) == SECTIONS[language]


@pytest.mark.django_db
def test_the_order_is_what_the_index_page_types_register(client, monkeypatch):
    monkeypatch.setattr(StoryIndexPage, "home_section_order", 1, raising=False)
    assert section_headings(client, "en")[:2] == ["Success stories", "Newsletter"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "number", "date", "read"),
    [
        ("en", "Issue 1", "1 November 2019", "Read issue 1"),
        ("fr", "Numéro 1", "1 novembre 2019", "Lire le numéro 1"),
    ],
)
def test_the_lead_issue_shows_its_number_date_summary_and_a_way_to_read_it(
    client, language, number, date, read
):
    issue = NewsletterIssuePage.objects.live().get(locale__language_code=language, number=1)
    page = soup(client.get(demo_url("", language)))
    lead = page.select_one("main .lead-issue")
    assert lead is page.select_one("main section.section")  # the first section
    meta = lead.select_one(".lead-issue__meta").get_text(" ", strip=True)
    assert number in meta and date in meta
    assert lead.select_one(".lead-issue__meta time")["datetime"] == "2019-11-01"
    assert lead.select_one(".lead-issue__title a")["href"] == issue.url
    assert lead.select_one(".lead-issue__summary").get_text(strip=True) == issue.summary
    button = lead.select_one(".lead-issue__read a")
    assert (button.get_text(strip=True), button["href"]) == (read, issue.url)


@pytest.mark.django_db
def test_a_newer_issue_takes_the_lead_and_the_older_one_is_listed_below(client):
    index = NewsletterIndexPage.objects.get(locale__language_code="en")
    newer = index.add_child(
        instance=NewsletterIssuePage(
            title="Diaspora Newsletter, issue 2",
            slug="issue-2-test",
            number=2,
            issue_date=datetime.date(2027, 3, 15),
            listing_summary="Spring: a new call for projects.",
            body=[],
            locale=index.locale,
        )
    )
    lead = soup(client.get(demo_url("", "en"))).select_one("main .lead-issue")
    assert lead.select_one(".lead-issue__title a")["href"] == newer.url
    assert "Issue 2" in lead.select_one(".lead-issue__meta").get_text()
    assert lead.select_one(".lead-issue__summary").get_text() == "Spring: a new call for projects."
    earlier = [a.get_text(strip=True) for a in lead.select(".lead-issue__earlier a")]
    assert earlier == ["Diaspora Newsletter, issue 1"]
