"""Every public page type renders with at most 15 SQL queries, in every language,
and the number does not grow with the content.

Each address is requested twice and the queries of the second request are counted:
the first warms what Wagtail keeps between requests (site root paths, content types,
image renditions). The page cache is switched off, so both requests render for real.
The site is the demo plus one newsletter issue using every kind of block once. Then
it gets about ten times the demo's images, countries, projects, stories, events,
calls and newsletter issues (whose bodies use every kind of block, choosing pages,
images and partners with logos), spread over the countries, in English with French
translations and Dutch translations or aliases, and that issue's body becomes ten
times longer (tests/tenfold_content.py): every address must cost exactly what it
cost before, search included, whatever the term.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from events.models import CallPage, EventIndexPage, EventPage
from home.models import (
    CountryIndexPage,
    CountryPage,
    FormPage,
    HomePage,
    ProjectIndexPage,
    ProjectPage,
    StandardPage,
)
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from stories.models import StoryIndexPage, StoryPage
from tests.tenfold_content import add_full_issue, add_tenfold_content, demo_counts

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query_counts")]

MAX_QUERIES = 15
LANGUAGES = ("en", "fr", "nl")

# Each page type, and how to find its English page.
PAGES = {
    "home": (HomePage, {}),
    "country index": (CountryIndexPage, {}),
    "country page": (CountryPage, {"country": "RW"}),
    "project index": (ProjectIndexPage, {}),
    "project": (ProjectPage, {"slug": "rwanda-health-and-education"}),
    "story index": (StoryIndexPage, {}),
    "story: interview": (StoryPage, {"kind": "interview"}),
    "story: video": (StoryPage, {"kind": "video"}),
    "story: article": (StoryPage, {"kind": "article"}),
    "event index": (EventIndexPage, {}),
    "event (registration)": (EventPage, {"slug": "rwanda-diaspora-info-session"}),
    "event (past)": (EventPage, {"slug": "congress-sustainable-entrepreneurship-in-africa"}),
    "call (form)": (CallPage, {"slug": "invest-in-a-rwanda-pilot-project"}),
    "newsletter index": (NewsletterIndexPage, {}),
    "newsletter issue": (NewsletterIssuePage, {"slug": "issue-1"}),
    "issue, every block": (NewsletterIssuePage, {"number": 99}),
    "survey": (FormPage, {"slug": "survey"}),
    "standard page": (StandardPage, {"slug": "about"}),
}

# Search terms: found on pages of (nearly) every type, on many pages, on pages of
# one type only (the demo's issue, in every language), and nowhere.
SEARCHES = {
    "search: everywhere": "diaspora",
    "search: many": "rwanda",
    "search: one type": "idiaspora",
    "search: nowhere": "xylophone",
}


def addresses():
    """{(page type, language): URL} for every page type and feed in every language."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    urls = {}
    for name, (model, lookup) in PAGES.items():
        english = model.objects.get(locale=locales["en"], **lookup)
        for code in LANGUAGES:
            urls[name, code] = english.get_translation(locales[code]).url
    dated_event = EventPage.objects.get(locale=locales["en"], **PAGES["event (past)"][1])
    for code in LANGUAGES:
        event = dated_event.get_translation(locales[code])
        urls.update({(name, code): f"/{code}/search/?q={term}" for name, term in SEARCHES.items()})
        urls.update(
            {
                ("subscribe", code): f"/{code}/newsletter/subscribe/",
                ("story feed", code): f"/{code}/stories/feed.xml",
                ("newsletter feed", code): f"/{code}/newsletter/feed.xml",
                ("country feed", code): f"/{code}/countries/rw/feed.xml",
                ("calendar", code): f"/{code}/events/calendar.ics",
                ("country calendar", code): f"/{code}/events/calendar/rw.ics",
                ("event .ics", code): f"/{code}/events/{event.pk}/calendar.ics",
            }
        )
    urls["sitemap", "-"] = "/sitemap.xml"
    return urls


def count_queries(client, urls):
    """The queries of the second request to each address, and for searches the page
    types on the results page."""
    counts, result_types = {}, {}
    for key, url in urls.items():
        first = client.get(url)
        assert first.status_code == 200, (url, first.status_code)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.status_code == 200, (url, second.status_code)
        counts[key] = len(queries)
        if key[0] in SEARCHES:
            result_types[key] = {type(r["page"]) for r in second.context["results"]}
    return counts, result_types


def table(urls, before, after):
    rows = [f"{'page':<22} {'lang':<4} {'1x':>4} {'10x':>4}"]
    for key in urls:
        ok = after[key] == before[key] and after[key] <= MAX_QUERIES
        flag = "" if ok else "   <-- too many or growing"
        rows.append(f"{key[0]:<22} {key[1]:<4} {before[key]:>4} {after[key]:>4}{flag}")
    return "\n".join(rows)


def check_search_terms(types):
    """The terms find what SEARCHES says they find (at 10x, the first page of
    results for "diaspora" may show fewer types: what matters is that it is full)."""
    for code in LANGUAGES:
        assert types["search: nowhere", code] == set()
        assert types["search: one type", code] == {NewsletterIssuePage}


def test_every_page_type_costs_a_fixed_small_number_of_queries(client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0  # both requests render for real
    # Each search records its term, up to a rate per client: the test's client
    # searches more often than that, and every search must record its term.
    monkeypatch.setattr("discovery.search.RECORD_RATE_LIMIT", (10_000, 600))
    full_issue = add_full_issue()
    urls = addresses()
    before, types_before = count_queries(client, urls)

    demo, created = add_tenfold_content(full_issue)
    after, types_after = count_queries(client, urls)

    grown = demo_counts()
    assert all(grown[kind] == 10 * demo[kind] for kind in demo), (demo, grown)
    english_pages = sum(count for kind, count in demo.items() if kind != "images")
    assert created == 3 * 9 * english_pages
    assert Page.objects.filter(alias_of__isnull=False, locale__language_code="nl").exists()
    report = table(urls, before, after)
    print(report)  # shown with -s, and with the failures below
    check_search_terms(types_before)
    check_search_terms(types_after)
    assert len(types_before["search: everywhere", "en"]) >= 4
    for key in urls:
        assert after[key] == before[key], "\n" + report
        assert after[key] <= MAX_QUERIES, "\n" + report
