"""A moved event reaches calendars as a newer version of the same entry: SEQUENCE
counts the changes of date, time or place, and DTSTAMP and LAST-MODIFIED say when,
in every language's file, the feeds and the emailed attachment, even before the
French and Dutch pages are published again."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from events.models import CalendarEntry, EventPage
from tests.events.dated_events import brussels, make_event
from tests.events.factories import form_data, register_url
from tests.events.factories import make_event as make_registration_event
from tests.newsletter.worker import run_worker

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - datetime.timedelta(days=3)


@pytest.fixture
def job_day():
    pages = make_event(
        "Diaspora job day",
        brussels(40, 14, 0),
        city="Brussels",
        translations={"fr": "Journée de l'emploi", "nl": "Banendag"},
    )
    # Everything published three days ago, so that a change now shows.
    EventPage.objects.filter(pk__in=[page.pk for page in pages.values()]).update(
        last_published_at=LONG_AGO
    )
    CalendarEntry.objects.update(changed_at=LONG_AGO)
    return pages


def vevent(client, url):
    response = client.get(url)
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    return event


def files(pages):
    return [f"/{code}/events/{page.pk}/calendar.ics" for code, page in pages.items()]


def stamps(event):
    return event["SEQUENCE"], event["DTSTAMP"].dt, event["LAST-MODIFIED"].dt


def publish(page, **changes):
    page = EventPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_a_new_event_is_sequence_zero_stamped_with_its_publication(client, job_day):
    for url in files(job_day):
        sequence, dtstamp, modified = stamps(vevent(client, url))
        assert sequence == 0
        assert dtstamp == modified == LONG_AGO.replace(microsecond=0)


def test_a_moved_date_bumps_sequence_and_stamps_in_every_language(client, job_day):
    before = timezone.now().replace(microsecond=0)
    publish(job_day["en"], start=brussels(41, 15, 0))
    for url in files(job_day):  # the French and Dutch pages were not published again
        event = vevent(client, url)
        sequence, dtstamp, modified = stamps(event)
        assert sequence == 1, url
        assert dtstamp >= before and modified >= before, url
        assert event.start == brussels(41, 15, 0)
    feed = Calendar.from_ical(client.get("/fr/events/calendar.ics").content)
    [moved] = [e for e in feed.walk("VEVENT") if e["SUMMARY"] == "Journée de l'emploi"]
    assert moved["SEQUENCE"] == 1 and moved["DTSTAMP"].dt >= before

    publish(job_day["en"], city="Antwerp")  # a new place counts too
    assert vevent(client, files(job_day)[1])["SEQUENCE"] == 2


def test_an_edit_that_moves_nothing_keeps_the_sequence(client, job_day):
    publish(job_day["en"], title="Diaspora job day (new title)", introduction="Now longer.")
    publish(job_day["en"])
    english, french, _dutch = (vevent(client, url) for url in files(job_day))
    assert english["SEQUENCE"] == french["SEQUENCE"] == 0
    # The English file says it changed (its text did); the French one did not.
    assert english["LAST-MODIFIED"].dt > LONG_AGO
    assert french["LAST-MODIFIED"].dt == LONG_AGO.replace(microsecond=0)


def test_a_translation_published_alone_moves_nothing(client, job_day):
    publish(job_day["fr"], title="Journée de l'emploi 2031")
    entry = CalendarEntry.objects.get(event_key=job_day["en"].translation_key)
    assert entry.sequence == 0


def test_an_event_first_seen_after_the_upgrade_counts_one_change(client, job_day):
    # As after migrating an earlier release: no entry yet.
    CalendarEntry.objects.filter(event_key=job_day["en"].translation_key).delete()
    publish(job_day["en"], start=brussels(42, 9, 0))
    assert vevent(client, files(job_day)[2])["SEQUENCE"] == 1


def test_the_emailed_calendar_file_carries_the_sequence(client, django_capture_on_commit_callbacks):
    event = make_registration_event(capacity=5, slug="moving-day")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(register_url(event["fr"]), form_data(), HTTP_ORIGIN="http://testserver")
    first = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert first["SEQUENCE"] == 0
    mail.outbox.clear()
    english = EventPage.objects.get(pk=event["en"].pk)
    english.start += datetime.timedelta(days=7)
    english.end += datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    run_worker()
    [announcement] = mail.outbox
    moved = Calendar.from_ical(announcement.attachments[0][1]).walk("VEVENT")[0]
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1
    assert moved["LAST-MODIFIED"].dt >= first["LAST-MODIFIED"].dt
