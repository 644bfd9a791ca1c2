"""The event index: upcoming and past events and calls, filters, pagination."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import CallPage, EventIndexPage
from home.models import CountryPage
from home.models.base import PAGE_SIZE
from tests.events.dated_events import brussels, english_country, make_call, make_event
from tests.helpers import soup, text_of
from tests.translating import translate

pytestmark = pytest.mark.django_db

DEMO_PAST = [
    "Congress on Sustainable Entrepreneurship in Africa",
    "Rencontre des Nigériens d'Europe",
]
RWANDA_SESSION = "Info session for the Rwandan diaspora in Brussels"  # date to be announced
RWANDA_CALL = "Invest in one of the pilot projects in Rwanda"  # no deadline: open


def section_titles(page, section_id):
    section = page.select_one(f"#{section_id}")
    return [a.get_text(strip=True) for a in section.select(".card__title a")] if section else []


def index_url(language="en"):
    return EventIndexPage.objects.get(locale__language_code=language).url


def test_upcoming_and_past_are_listed_apart(client):
    make_event("Next month's forum", brussels(30, 10))
    make_event("Last month's forum", brussels(-30, 10))
    make_call("A closed call", brussels(-3, 12))
    make_call("A call closing soon", brussels(3, 12))
    page = soup(client.get(index_url()))
    upcoming = section_titles(page, "upcoming")
    past = section_titles(page, "past")
    # Soonest first; the undated (date to be announced, open call without deadline) last.
    assert upcoming.index("A call closing soon") < upcoming.index("Next month's forum")
    assert upcoming.index("Next month's forum") < upcoming.index(RWANDA_SESSION)
    assert RWANDA_CALL in upcoming
    # Latest first.
    assert past[:2] == ["A closed call", "Last month's forum"]
    assert set(DEMO_PAST) <= set(past)
    assert not set(upcoming) & set(past)


def test_an_event_under_way_is_still_upcoming(client):
    make_event("Two-day congress", brussels(-1, 9), end=brussels(1, 17))
    make_event("Yesterday's meeting", brussels(-1, 9), end=brussels(-1, 12))
    page = soup(client.get(index_url()))
    assert "Two-day congress" in section_titles(page, "upcoming")
    assert "Yesterday's meeting" in section_titles(page, "past")


def test_home_page_still_shows_upcoming_events(client):
    make_event("Next month's forum", brussels(30, 10))
    text = text_of(client.get("/en/"))
    assert "Next month's forum" in text


def test_filter_by_kind(client):
    events = soup(client.get(index_url() + "?kind=event"))
    calls = soup(client.get(index_url() + "?kind=call"))
    assert RWANDA_SESSION in section_titles(events, "upcoming")
    assert RWANDA_CALL not in section_titles(events, "upcoming")
    # Open calls without a deadline come after dated items, by title.
    assert section_titles(calls, "upcoming") == [
        "Have you started a business in Africa? Artevelde University would like to talk to you",
        RWANDA_CALL,
    ]
    assert not section_titles(calls, "past")
    assert calls.select_one('#filter-kind option[value="call"]').has_attr("selected")


def test_filter_by_country(client):
    make_event("Forum on Niger", brussels(20, 10), countries=["NE"])
    make_call("Call about Niger and Rwanda", brussels(-5, 10), countries=["NE", "RW"])
    page = soup(client.get(index_url() + "?country=RW"))
    assert set(section_titles(page, "upcoming")) == {RWANDA_SESSION, RWANDA_CALL}
    assert section_titles(page, "past") == ["Call about Niger and Rwanda"]
    niger = soup(client.get(index_url() + "?country=ne&kind=event"))  # any case
    assert section_titles(niger, "upcoming") == ["Forum on Niger"]
    assert section_titles(niger, "past") == ["Rencontre des Nigériens d'Europe"]
    assert niger.select_one('#filter-country option[value="NE"]').has_attr("selected")


def test_country_list_is_in_the_visitors_language(client, locales):
    translate(english_country("RW"), locales["fr"], title="Le Rwanda (titre de test)")
    page = soup(client.get(index_url("fr")))
    options = {
        option["value"]: option.get_text(strip=True)
        for option in page.select("#filter-country option")
    }
    # "All countries", then the countries that events or calls are about, named in French.
    assert list(options) == ["", "RW", "NE"]  # alphabetical in French: "Le Rwanda", "Niger"
    assert options["NE"] == CountryPage.objects.get(country="NE", locale=locales["fr"]).title
    assert options["RW"] == "Le Rwanda (titre de test)"
    french = soup(client.get(index_url("fr") + "?country=RW"))
    titles = section_titles(french, "upcoming")
    assert titles and all(not title.startswith("Info session for") for title in titles)


def test_nothing_matches_says_so(client):
    page = soup(client.get(index_url() + "?country=NE&kind=call"))
    assert "No events or calls for cooperation match these filters." in page.get_text(" ")
    assert page.select_one('main a[href="/en/events/"]')  # show everything


@pytest.mark.parametrize(
    "query",
    [
        "?page=-1",
        "?page=abc",
        "?page=99999",
        "?past_page=0",
        "?past_page=%00",
        "?kind=zzz",
        "?kind=",
        "?country=ZZ",
        "?country=%00",
        "?country=<script>",
        "?country=RW&country=ZZ",
        "?kind=event&kind=<b>&page=2.5",
    ],
)
def test_bad_parameters_are_ignored(client, query):
    response = client.get(index_url() + query)
    assert response.status_code == 200
    assert RWANDA_SESSION in text_of(response)


def test_unknown_country_shows_everything(client):
    page = soup(client.get(index_url() + "?country=ZZ"))
    assert RWANDA_SESSION in section_titles(page, "upcoming")
    assert set(DEMO_PAST) <= set(section_titles(page, "past"))
    assert not page.select("#filter-country option[selected]")  # "All countries" shows


def test_both_lists_are_paginated_and_keep_the_filters(client):
    for day in range(PAGE_SIZE + 1):
        make_event(f"Future event {day:02}", brussels(10 + day, 10), countries=["RW"])
        make_event(f"Past event {day:02}", brussels(-10 - day, 10), countries=["RW"])
    url = index_url() + "?country=RW&kind=event"
    first = soup(client.get(url))
    assert len(section_titles(first, "upcoming")) == PAGE_SIZE
    assert len(section_titles(first, "past")) == PAGE_SIZE
    next_upcoming = first.select_one('#upcoming a[rel="next"]')["href"]
    next_past = first.select_one('#past a[rel="next"]')["href"]
    assert next_upcoming == "?country=RW&kind=event&page=2#upcoming"
    assert next_past == "?country=RW&kind=event&past_page=2#past"
    second = soup(client.get(index_url() + next_past.split("#")[0]))
    # The past list moved on; the upcoming list stayed on its first page.
    assert section_titles(second, "past") == ["Past event 12"]  # the earliest
    assert section_titles(second, "upcoming") == section_titles(first, "upcoming")
    upcoming_two = soup(client.get(index_url() + next_upcoming.split("#")[0]))
    assert section_titles(upcoming_two, "upcoming") == ["Future event 12", RWANDA_SESSION]


def test_calendar_links(client):
    page = soup(client.get(index_url("nl")))
    assert page.select_one('head link[rel="alternate"][type="text/calendar"]')["href"] == (
        "/nl/events/calendar.ics"
    )
    assert page.select_one('main a[href="/nl/events/calendar.ics"]')
    assert page.select_one('main a[href="/nl/events/propose/"]')


def test_index_queries_do_not_grow_with_the_events(client):
    url = index_url() + "?country=RW"
    client.get(url)  # warm the caches (site root paths, content types)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # Both lists hold both kinds from the start (one query per kind of page a list holds).
    make_event("First future", brussels(10, 10), countries=["RW"])
    make_event("First past", brussels(-10, 10), countries=["RW"])
    make_call("First call", brussels(-10, 10), countries=["RW"])
    before = queries()
    for number in range(4):
        make_event(f"More future {number}", brussels(11 + number, 10), countries=["RW"])
        make_event(f"More past {number}", brussels(-11 - number, 10), countries=["RW"])
        make_call(f"More calls {number}", brussels(20 + number, 10), countries=["RW"])
    assert queries() == before
    assert CallPage.objects.filter(title__startswith="More calls").count() == 4
