"""Registering answers with Post/Redirect/Get: a 303 to a result page whose address
holds no personal data, which a reload shows again without registering again; and
the confirmation email's dates (start and end, Brussels time) and venue, in French
and Dutch."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.test import Client

from events.models import EventPage, Registration
from tests.events.factories import form_data, make_event, register_url
from tests.personal_links import personal_data_in

pytestmark = pytest.mark.django_db
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
BRUSSELS = ZoneInfo("Europe/Brussels")
PERSON = ["amina@example.org", "Amina Diallo", "Amina", "Diallo"]


def words(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())


def register(client, page, data):
    return client.post(register_url(page), data, **ORIGIN)


def test_a_registration_answers_303_to_a_result_page_a_reload_does_not_repeat(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event["fr"], form_data())
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(f"/fr/events/{event['fr'].pk}/register/answer/")
    assert not personal_data_in(location, PERSON), location
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1

    for _ in range(3):  # the answer, then two reloads
        shown = client.get(location)
        assert shown.status_code == 200
        assert "no-store" in shown["Cache-Control"]
        assert "Consultez votre boîte de réception" in words(shown)
        assert "Journée carrière" in words(shown)
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1

    # Someone else opening the address sees the general answer, no one's data.
    other = Client().get(location)
    assert other.status_code == 200
    assert not any(secret.lower() in other.text.lower() for secret in PERSON)


def test_each_decided_answer_has_its_result_page(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1, waitlist=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(client, event["nl"], form_data())
        full = register(client, event["nl"], form_data(email="other@example.org"))
        again = register(client, event["nl"], form_data())  # already registered
    assert first.status_code == full.status_code == again.status_code == 303
    assert "volzet" in words(client.get(full["Location"]))
    # The one already registered is answered as a newcomer would be now: full.
    assert words(client.get(again["Location"])) == words(client.get(full["Location"]))
    assert Registration.objects.count() == 1

    closed = make_event(closes=datetime.datetime(2020, 1, 1, tzinfo=BRUSSELS), slug="closed")
    response = register(client, closed["en"], form_data())
    assert response.status_code == 303
    assert "Registration is closed" in words(client.get(response["Location"]))


def test_a_result_page_with_a_forged_stale_or_foreign_token_shows_nothing(client):
    event = make_event()
    other = make_event(slug="other-day")
    base = f"/fr/events/{event['fr'].pk}/register/answer/"
    foreign = signing.dumps([other["fr"].pk, "confirmed"], salt="events.registration.answer")
    for token in (
        "forged",
        foreign,
        signing.dumps([event["fr"].pk, "already_registered"], salt="events.registration.answer"),
    ):
        response = client.get(base + token + "/")
        assert response.status_code == 302
        assert response["Location"] == event["fr"].url + "#register"


def event_with_times(start, end):
    event = make_event(capacity=5)
    for page in event.values():
        page.start, page.end = start, end
        page.venue_address = "Rue de la Loi 155"
        page.save_revision().publish()
    return {code: EventPage.objects.get(pk=page.pk) for code, page in event.items()}


@pytest.mark.parametrize(
    ("language", "subject", "when", "where"),
    [
        (
            "fr",
            "Votre place est confirmée\u00a0: Journée carrière",
            "Quand\u00a0: 15 mars 2027 18:30 – 20:00 (heure de Bruxelles)",
            "Où\u00a0: Residence Palace, Rue de la Loi 155, Brussels",
        ),
        (
            "nl",
            "Uw plaats is bevestigd: Loopbaandag",
            "Wanneer: 15 maart 2027 18:30 – 20:00 (Brusselse tijd)",
            "Waar: Residence Palace, Rue de la Loi 155, Brussels",
        ),
    ],
)
def test_the_confirmation_gives_start_end_and_venue(
    client, django_capture_on_commit_callbacks, language, subject, when, where
):
    start = datetime.datetime(2027, 3, 15, 18, 30, tzinfo=BRUSSELS)
    event = event_with_times(start, start + datetime.timedelta(hours=1, minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event[language], form_data())
    (message,) = mail.outbox
    assert message.subject == subject
    lines = [" ".join(line.split()) for line in message.body.splitlines()]
    assert " ".join(when.split()) in lines, message.body
    assert " ".join(where.split()) in lines, message.body


def test_an_event_over_several_days_gives_the_end_date(client, django_capture_on_commit_callbacks):
    start = datetime.datetime(2027, 3, 15, 18, 30, tzinfo=BRUSSELS)
    event = event_with_times(start, start + datetime.timedelta(days=1, hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event["fr"], form_data())
    (message,) = mail.outbox
    assert re.search(
        r"15 mars 2027 18:30 – 16 mars 2027 20:30 \(heure de Bruxelles\)", message.body
    )
