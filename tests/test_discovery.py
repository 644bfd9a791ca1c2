"""How visitors and machines find the site: sitemap.xml, robots.txt, the RSS feeds of
each language and country, and the metadata in each page's <head> (canonical link,
Open Graph, Twitter card, schema.org JSON-LD)."""

import json
import xml.etree.ElementTree as ET
from collections import Counter

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail_localize.synctree import create_aliases_for_new_page

from events.models import EventPage
from home.models import CountryPage, HomePage, StandardPage
from newsletter.models import NewsletterIssuePage
from stories.models import StoryIndexPage, StoryPage
from tests.events.dated_events import brussels, make_event
from tests.helpers import soup

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "nl"]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BASE = "http://testserver"


def full_url(page):
    """A page's address as Wagtail builds it (from the Site's host name)."""
    return page.get_full_url()


def live_pages(code):
    """URLs of the live pages written in a language (aliases excluded)."""
    pages = Page.objects.live().filter(
        depth__gt=1, locale__language_code=code, alias_of__isnull=True
    )
    return {full_url(page) for page in pages}


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    entries = {}
    locations = []
    for url in root.findall("s:url", NS):
        location = url.find("s:loc", NS).text
        locations.append(location)
        entries[location] = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
    assert [loc for loc, n in Counter(locations).items() if n > 1] == [], "listed twice"
    return entries


@pytest.fixture
def untranslated_page(locales):
    """A new English page with French and Dutch aliases (as the admin makes them)."""
    home = HomePage.objects.get(locale=locales["en"])
    page = StandardPage(title="Wombat report", slug="wombat-report", introduction="Wombats.")
    home.add_child(instance=page)
    page.save_revision().publish()
    create_aliases_for_new_page(page)
    return page


def make_story(title, *, country=None, translations=None):
    """A published English story, with real translations titled as given."""
    index = StoryIndexPage.objects.get(locale=Locale.get_default())
    story = StoryPage(
        title=title,
        introduction=f"What {title} tells.",
        country=country,
        body=[("paragraph", RichText("<p>Once upon a time.</p>"))],
    )
    index.add_child(instance=story)
    story.save_revision().publish()
    versions = {"en": story}
    for code, translated in (translations or {}).items():
        copy = story.copy_for_translation(Locale.objects.get(language_code=code))
        copy.title = translated
        copy.save_revision().publish()
        versions[code] = StoryPage.objects.get(pk=copy.pk)
    return versions


# --- sitemap.xml ------------------------------------------------------------------


def test_sitemap_lists_every_live_page_of_every_language_once(client, untranslated_page):
    entries = sitemap_entries(client)
    expected = set().union(*(live_pages(code) for code in LANGUAGES))
    assert set(entries) == expected
    # All three languages are there (the demo is translated throughout).
    for code in LANGUAGES:
        assert live_pages(code) and live_pages(code) <= set(entries)
    # The new English page is listed; its aliases are not (their text is English).
    assert full_url(untranslated_page) in entries
    for alias in Page.objects.filter(alias_of=untranslated_page):
        assert full_url(alias) not in entries
    assert not entries[full_url(untranslated_page)], "a lone page has no alternates"


def test_sitemap_gives_each_translated_page_its_alternates(client):
    entries = sitemap_entries(client)
    story = StoryPage.objects.live().filter(locale__language_code="nl").first()
    versions = {
        version.locale.language_code: full_url(version)
        for version in story.get_translations(inclusive=True).select_related("locale")
    }
    assert entries[full_url(story)] == {**versions, "x-default": versions["en"]}
    checked = 0
    for location, alternates in entries.items():
        if alternates:
            assert set(alternates) == {"en", "fr", "nl", "x-default"}, location
            assert location in alternates.values()
            assert alternates["x-default"] == alternates["en"]
            checked += 1
    assert checked == len(entries), "every demo page is translated"


def test_sitemap_queries_do_not_grow_with_the_pages(client):
    def queries():
        client.get("/sitemap.xml")  # warm Wagtail's site-root cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured)

    before = queries()
    for number in range(4):
        make_story(f"Story {number}", translations={"fr": f"Récit {number}"})
    assert queries() == before


# --- robots.txt --------------------------------------------------------------------


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /fr/newsletter/unsubscribe/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)


# --- feeds -------------------------------------------------------------------------


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def translated(code, text):
    with translation.override(code):
        return gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("path", "model", "title"),
    [
        ("stories/feed.xml", StoryPage, "Diaspora Engagement: success stories"),
        ("newsletter/feed.xml", NewsletterIssuePage, "Diaspora Engagement: newsletter"),
    ],
)
def test_language_feeds_hold_that_languages_pages_only(client, language, path, model, title):
    feed = parse_feed(client, f"/{language}/{path}")
    assert feed.feed.language == language
    assert feed.feed.title == translated(language, title)
    expected = {
        full_url(page)
        for page in model.objects.live().filter(
            locale__language_code=language, alias_of__isnull=True
        )
    }
    assert expected
    assert {entry.link for entry in feed.entries} == expected
    assert all(entry.get("published_parsed") for entry in feed.entries)


def test_feed_leaves_out_aliases_and_other_languages(client):
    versions = make_story("Quokka story", translations={"nl": "Quokkaverhaal"})
    # The French version is an alias of the English page (untranslated).
    french = Locale.objects.get(language_code="fr")
    alias = versions["en"].create_alias(
        parent=StoryIndexPage.objects.get(locale=french), update_locale=french
    )
    assert alias.live and client.get(alias.url).status_code == 200
    titles = {entry.title for entry in parse_feed(client, "/fr/stories/feed.xml").entries}
    assert "Quokka story" not in titles and "Quokkaverhaal" not in titles
    titles = {entry.title for entry in parse_feed(client, "/nl/stories/feed.xml").entries}
    assert "Quokkaverhaal" in titles and "Quokka story" not in titles


def test_country_feed_holds_stories_and_events_about_the_country(client, locales):
    rwanda = CountryPage.objects.get(country="RW", locale=locales["en"])
    make_story("Kigali story", country=rwanda, translations={"fr": "Récit de Kigali"})
    make_event("Rwanda evening", brussels(20, 19), countries=["RW"], translations={"fr": "Soirée"})
    make_story("Dakar story", country=CountryPage.objects.get(country="SN", locale=locales["en"]))
    french_rwanda = CountryPage.objects.get(country="RW", locale=locales["fr"])

    feed = parse_feed(client, "/fr/countries/rw/feed.xml")
    assert feed.feed.language == "fr"
    assert feed.feed.link == full_url(french_rwanda)
    assert french_rwanda.title in feed.feed.title
    titles = {entry.title for entry in feed.entries}
    assert {"Récit de Kigali", "Soirée"} <= titles
    assert not titles & {"Kigali story", "Rwanda evening", "Dakar story"}
    for entry in feed.entries:
        assert "/fr/" in entry.link


@pytest.mark.parametrize("code", ["xx", "r", "rwa", "12"])
def test_unknown_country_feed_is_not_found(client, code):
    assert client.get(f"/en/countries/{code}/feed.xml").status_code == 404


@pytest.mark.parametrize(
    "url", ["/fr/stories/feed.xml", "/fr/newsletter/feed.xml", "/fr/countries/rw/feed.xml"]
)
def test_feed_queries_do_not_grow_with_content(client, locales, url):
    rwanda = CountryPage.objects.get(country="RW", locale=locales["en"])

    def queries():
        client.get(url)  # warm Wagtail's site-root cache (publishing empties it)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_story("First", country=rwanda, translations={"fr": "Premier"})
    before = queries()
    for number in range(4):
        make_story(f"More {number}", country=rwanda, translations={"fr": f"Encore {number}"})
        make_event(
            f"Event {number}",
            brussels(30 + number, 10),
            countries=["RW"],
            translations={"fr": f"Événement {number}"},
        )
    assert queries() == before


# --- <head> metadata -----------------------------------------------------------------


def meta(html, prop):
    tag = html.find("meta", attrs={"property": prop}) or html.find("meta", attrs={"name": prop})
    return tag["content"] if tag else None


def json_ld(html):
    return [
        json.loads(script.string) for script in html.select('script[type="application/ld+json"]')
    ]


def test_story_page_has_canonical_open_graph_and_article_data(client):
    story = StoryPage.objects.live().filter(locale__language_code="fr").exclude(person=None).first()
    html = soup(client.get(story.url))
    url = full_url(story)
    assert html.find("link", rel="canonical")["href"] == url
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") == story.title
    assert meta(html, "og:description") == story.summary
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:locale") == "fr_BE"
    assert {tag["content"] for tag in html.find_all("meta", property="og:locale:alternate")} == {
        "en_GB",
        "nl_BE",
    }
    assert meta(html, "twitter:card") in {"summary", "summary_large_image"}
    if story.listing_image:
        assert meta(html, "og:image").startswith(f"{BASE}/media/")
        assert meta(html, "twitter:card") == "summary_large_image"
    feeds = {
        link["href"] for link in html.select('link[rel="alternate"][type="application/rss+xml"]')
    }
    assert {"/fr/stories/feed.xml", "/fr/newsletter/feed.xml"} <= feeds

    [article] = json_ld(html)
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "Article"
    assert article["headline"] == story.title
    assert article["datePublished"] == story.date.isoformat()
    assert article["inLanguage"] == "fr"
    assert article["author"] == {
        "@type": "Person",
        "name": story.person.localized.name,
        **({"jobTitle": story.person.localized.role} if story.person.localized.role else {}),
    }


def test_json_ld_cannot_close_its_script_element(client):
    story = StoryPage.objects.live().filter(locale__language_code="en").first()
    story.title = "Tricky </script><script>alert(1)</script> & co"
    story.save_revision().publish()
    response = client.get(story.url)
    assert b"</script><script>alert(1)" not in response.content
    [article] = json_ld(soup(response))
    assert article["headline"] == story.title


def test_event_page_has_event_data_with_brussels_offset(client):
    versions = make_event(
        "Diaspora job day",
        brussels(40, 14, 0),
        end=brussels(40, 17, 30),
        venue_name="Residence Palace",
        venue_address="Rue de la Loi 155",
        city="Brussels",
        online_url="https://meet.example.org/job-day",
        translations={"nl": "Banendag"},
    )
    page = versions["nl"]
    html = soup(client.get(page.url))
    assert html.find("link", rel="canonical")["href"] == full_url(page)
    assert meta(html, "og:type") == "website"
    [event] = json_ld(html)
    assert event["@type"] == "Event"
    assert event["name"] == "Banendag"
    assert event["startDate"] == brussels(40, 14, 0).isoformat()
    assert event["startDate"][-6:] in {"+01:00", "+02:00"}
    assert event["endDate"] == brussels(40, 17, 30).isoformat()
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, online = event["location"]
    assert place["@type"] == "Place" and place["name"] == "Residence Palace"
    assert place["address"]["streetAddress"] == "Rue de la Loi 155"
    assert online == {"@type": "VirtualLocation", "url": "https://meet.example.org/job-day"}
    assert event["inLanguage"] == "nl"


def test_demo_event_names_its_organiser(client):
    event = (
        EventPage.objects.live()
        .filter(locale__language_code="en", start__isnull=False)
        .exclude(organisers=None)
        .first()
    )
    [data] = json_ld(soup(client.get(event.url)))
    assert data["organizer"] and all(o["@type"] == "Organization" for o in data["organizer"])


def test_undated_event_has_no_event_data(client):
    page = make_event("Date to come")["en"]
    html = soup(client.get(page.url))
    assert json_ld(html) == []
    assert html.find("link", rel="canonical")["href"] == full_url(page)


def test_alias_points_its_canonical_and_og_url_at_its_source(client, untranslated_page):
    alias = Page.objects.get(alias_of=untranslated_page, locale__language_code="fr")
    html = soup(client.get(alias.url))
    assert html.find("link", rel="canonical")["href"] == full_url(untranslated_page)
    assert meta(html, "og:url") == full_url(untranslated_page)
    assert meta(html, "og:locale") == "en_GB"


def test_country_page_announces_its_feed(client, locales):
    page = CountryPage.objects.get(country="RW", locale=locales["nl"])
    html = soup(client.get(page.url))
    feeds = {
        link["href"] for link in html.select('link[rel="alternate"][type="application/rss+xml"]')
    }
    assert "/nl/countries/rw/feed.xml" in feeds
    for href in feeds:
        parse_feed(client, href)
