"""Calendar files: one event's .ics in each language, the language feeds and the
country feeds, read back with the icalendar library as a calendar app would."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from events.calendar import UndatedEventError, event_calendar, events_calendar
from events.models import EventPage
from home.models import CountryPage
from tests.events.dated_events import BRUSSELS, brussels, make_event
from tests.helpers import demo_page, demo_url, soup

pytestmark = pytest.mark.django_db

TITLES = {"fr": "Journée de l'emploi de la diaspora", "nl": "Banendag van de diaspora"}


def ics(response):
    """The calendar in `response`, parsed, after checking what every .ics response has."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith('.ics"')
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert calendar.get_missing_tzids() == set()
    return calendar


def events_in(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def job_day():
    return make_event(
        "Diaspora job day",
        brussels(40, 14, 0),
        end=brussels(40, 17, 30),
        venue_name="Residence Palace",
        venue_address="Rue de la Loi 155",
        city="Brussels",
        countries=["RW"],
        translations=TITLES,
    )


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_event_file_in_each_language(client, job_day, language):
    page = job_day[language]
    calendar = ics(client.get(f"/{language}/events/{page.pk}/calendar.ics"))
    [event] = calendar.walk("VEVENT")
    assert event["SUMMARY"] == page.title
    assert event["SUMMARY"].params["LANGUAGE"] == language
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event["DTEND"].params["TZID"] == "Europe/Brussels"
    assert event.start == brussels(40, 14, 0) and event.start.utcoffset() is not None
    assert event.start.strftime("%H:%M") == "14:00"  # Brussels wall-clock time
    assert event.end == brussels(40, 17, 30)
    assert event["URL"] == page.get_full_url()
    assert event["URL"].endswith(demo_url("events", language) + "diaspora-job-day/")
    assert event["LOCATION"] == "Residence Palace, Rue de la Loi 155, Brussels"
    assert event["DESCRIPTION"].startswith("What Diaspora job day is about.")
    assert event["UID"] == f"{job_day['en'].translation_key}@127.0.0.1"
    assert event["DTSTAMP"]


def test_the_languages_share_one_uid_and_translate_the_title(client, job_day):
    events = {
        language: Calendar.from_ical(
            client.get(f"/{language}/events/{page.pk}/calendar.ics").content
        ).walk("VEVENT")[0]
        for language, page in job_day.items()
    }
    assert len({str(event["UID"]) for event in events.values()}) == 1
    assert events["fr"]["SUMMARY"] == TITLES["fr"]
    assert events["nl"]["SUMMARY"] == TITLES["nl"]
    assert events["en"]["SUMMARY"] == "Diaspora job day"


def test_the_uid_survives_an_edit(client, job_day):
    page = job_day["en"]
    url = f"/en/events/{page.pk}/calendar.ics"
    before = ics(client.get(url)).walk("VEVENT")[0]
    page.title = "Diaspora job day (new title)"
    page.save_revision().publish()
    after = ics(client.get(url)).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert after["SUMMARY"] == "Diaspora job day (new title)"


def test_a_date_only_event_is_a_whole_day_event(client):
    pages = make_event(
        "Diaspora weekend",
        brussels(50),
        end=brussels(51),
        all_day=True,
        online_url="https://example.org/live",
        translations={"fr": "Week-end de la diaspora"},
    )
    calendar = ics(client.get(f"/fr/events/{pages['fr'].pk}/calendar.ics"))
    [event] = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Week-end de la diaspora"
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.start == brussels(50).date()
    assert event.end == brussels(52).date()  # the day after the last day
    assert event["LOCATION"] == "https://example.org/live"


def test_an_event_without_a_date_has_no_file(client):
    rwanda = demo_page("events/rwanda-diaspora-info-session", "fr")
    assert rwanda.date_to_be_announced
    assert client.get(f"/fr/events/{rwanda.pk}/calendar.ics").status_code == 404
    with pytest.raises(UndatedEventError):
        event_calendar(rwanda)
    # Nor does its page offer one.
    assert not soup(client.get(rwanda.url)).select('a[href$="calendar.ics"]')


def test_an_event_page_offers_its_file(client, job_day):
    page = job_day["nl"]
    link = soup(client.get(page.url)).select_one("main .add-to-calendar a")
    assert link["href"] == f"/nl/events/{page.pk}/calendar.ics"
    assert client.get(link["href"]).status_code == 200


def test_only_live_public_events_of_the_language_have_a_file(client, job_day):
    english, french = job_day["en"], job_day["fr"]
    assert client.get(f"/fr/events/{english.pk}/calendar.ics").status_code == 404
    assert client.get(f"/en/events/{french.pk}/calendar.ics").status_code == 404
    french.unpublish()
    assert client.get(f"/fr/events/{french.pk}/calendar.ics").status_code == 404
    home_page_id = english.get_parent().get_parent().pk
    assert client.get(f"/en/events/{home_page_id}/calendar.ics").status_code == 404
    assert client.get("/en/events/999999/calendar.ics").status_code == 404


def test_method_for_email_attachments(job_day):
    calendar = Calendar.from_ical(event_calendar(job_day["fr"], method="PUBLISH"))
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.walk("VEVENT")[0]["SUMMARY"] == TITLES["fr"]


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_language_feed_lists_upcoming_dated_events(client, job_day, language):
    make_event("Old meeting", brussels(-10, 10), translations={"fr": "Ancienne", "nl": "Oud"})
    make_event("Someday", None, translations={"fr": "Un jour", "nl": "Ooit"})
    calendar = ics(client.get(f"/{language}/events/calendar.ics"))
    assert calendar["X-WR-CALNAME"].params["LANGUAGE"] == language
    assert calendar["X-WR-TIMEZONE"] == "Europe/Brussels"
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    events = events_in(calendar)
    assert set(events) == {job_day[language].title}  # not the past, not the undated
    event = events[job_day[language].title]
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event.start == brussels(40, 14, 0)
    assert event["URL"] == job_day[language].get_full_url()
    assert event["URL"].endswith(demo_url("events", language) + "diaspora-job-day/")


def test_an_event_stays_in_the_feed_until_it_ends(client):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    make_event("Going on", now - hour, end=now + hour)
    make_event("Just ended", now - 2 * hour, end=now - hour)
    make_event("All day today", brussels(0), all_day=True)
    titles = set(events_in(ics(client.get("/en/events/calendar.ics"))))
    assert {"Going on", "All day today"} <= titles
    assert "Just ended" not in titles


def test_an_empty_feed_is_still_a_calendar(client, locales):
    EventPage.objects.filter(locale=locales["nl"]).delete()
    calendar = ics(client.get("/nl/events/calendar.ics"))
    assert calendar.walk("VEVENT") == []


def test_country_feed_lists_only_that_countrys_events(client, job_day):
    make_event("Niger evening", brussels(45, 19), countries=["NE"])
    make_event("Niger and Rwanda forum", brussels(46, 9), countries=["NE", "RW"])
    rwanda = events_in(ics(client.get("/en/events/calendar/RW.ics")))
    assert set(rwanda) == {"Diaspora job day", "Niger and Rwanda forum"}
    niger = events_in(ics(client.get("/en/events/calendar/ne.ics")))  # any case
    assert set(niger) == {"Niger evening", "Niger and Rwanda forum"}
    french = events_in(ics(client.get("/fr/events/calendar/RW.ics")))
    assert set(french) == {TITLES["fr"]}  # the forum has no French version
    calendar = ics(client.get("/fr/events/calendar/RW.ics"))
    assert "Rwanda" in str(calendar["X-WR-CALNAME"])


@pytest.mark.parametrize("code", ["ZZ", "FR", "XYZ", "r", "%00"])
def test_unknown_country_feed_is_a_404(client, code):
    assert client.get(f"/en/events/calendar/{code}.ics").status_code == 404


def test_country_page_links_its_feed(client):
    page = CountryPage.objects.get(country="NE", locale__language_code="fr")
    link = soup(client.get(page.url)).select_one('main a[href$=".ics"]')
    assert link["href"] == "/fr/events/calendar/NE.ics"
    assert client.get(link["href"]).status_code == 200


def test_events_calendar_skips_undated_events(job_day):
    undated = EventPage.objects.get(
        slug="rwanda-diaspora-info-session", locale=job_day["en"].locale
    )
    calendar = Calendar.from_ical(
        events_calendar([undated, job_day["en"]], name="Test", language="en")
    )
    assert list(events_in(calendar)) == ["Diaspora job day"]
    assert calendar["X-WR-CALNAME"] == "Test"


@pytest.mark.parametrize("url", ["/fr/events/calendar.ics", "/fr/events/calendar/RW.ics"])
def test_feed_queries_do_not_grow_with_the_events(client, url):
    client.get(url)  # warm the site-root cache

    def queries():
        # Warm again: publishing pages empties Wagtail's cached site root paths.
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_event("First", brussels(30, 10), countries=["RW"], translations={"fr": "Premier"})
    before = queries()
    for number in range(5):
        make_event(
            f"More {number}",
            brussels(31 + number, 10),
            countries=["RW"],
            translations={"fr": f"Encore {number}"},
        )
    after = queries()
    assert len(events_in(Calendar.from_ical(client.get(url).content))) == 6
    assert after == before


def test_times_are_brussels_wall_clock_across_daylight_saving(client):
    summer = datetime.datetime(2031, 7, 1, 18, 0, tzinfo=BRUSSELS)
    winter = datetime.datetime(2031, 12, 1, 18, 0, tzinfo=BRUSSELS)
    make_event("Summer talk", summer)
    make_event("Winter talk", winter)
    calendar = ics(client.get("/en/events/calendar.ics"))
    for event in calendar.walk("VEVENT"):
        if event["SUMMARY"] in ("Summer talk", "Winter talk"):
            assert event["DTSTART"].to_ical().decode().endswith("T180000")
            assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
