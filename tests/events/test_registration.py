"""Registering for an event on this site: places, the waiting list, emails with a
calendar file, cancelling, and every kind of bad input."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from events.cancel_links import cancel_token
from events.models import EventPlaces, Registration
from tests.events.factories import form_data, make_event, register_url
from tests.newsletter.worker import run_worker

pytestmark = pytest.mark.django_db
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def post(client, page, data, **extra):
    """POST the form as a browser would: a decided registration answers 303 to its
    result page (tests/events/test_registration_result.py), which is followed."""
    response = client.post(register_url(page), data, **ORIGIN, **extra)
    if response.status_code == 303:
        response = client.get(response["Location"])
    return response


def parse(response):
    return BeautifulSoup(response.content, "html.parser")


def words(element):
    return " ".join(element.get_text(" ").split())


def places(event):
    return EventPlaces.objects.get(event_key=event["en"].translation_key)


def registrations():
    return list(Registration.objects.order_by("pk"))


@pytest.fixture
def event(db):
    return make_event(capacity=2)


def test_the_event_page_shows_the_form_without_a_csrf_token(client, event):
    response = client.get(event["fr"].url)
    page = parse(response)
    form = page.select_one("form.form--register")
    assert form["action"] == register_url(event["fr"])
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "2 places, 2 restantes" in words(page.select_one(".registration__capacity"))
    assert (
        page.select_one("label[for=id_register_consent]")
        .get_text(strip=True)
        .startswith("J’accepte")
    )


def test_a_registration_in_french_gets_a_french_email_with_the_event_as_ics(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event["fr"], form_data(email="Amina@Example.org"))
    assert response.status_code == 200
    assert "Consultez votre boîte de réception" in words(parse(response).h1)
    (registration,) = registrations()
    assert registration.status == "confirmed"
    assert registration.email == "amina@example.org"
    assert registration.language == "fr"
    assert registration.consent_text.startswith("J’accepte")
    assert places(event).confirmed == 1

    (message,) = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "Votre place est confirmée\u00a0: Journée carrière"
    assert "/fr/events/registration/" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Journée carrière"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Brussels"


def test_places_run_out_then_the_waiting_list_then_cancelling_promotes_the_first(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n, language in enumerate(["en", "fr", "nl", "en"]):
            post(client, event[language], form_data(email=f"p{n}@example.org"))
    assert [r.status for r in registrations()] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    page = parse(client.get(event["nl"].url))
    assert "wachtlijst" in words(page.select_one(".registration__on-site")).lower()
    assert words(page.select_one("form.form--register button")) == "Inschrijven op de wachtlijst"

    first = registrations()[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/registration/{cancel_token(first)}/cancel/")
    assert "Your registration is cancelled" in words(parse(response).h1)
    assert [r.status for r in registrations()] == [
        "cancelled",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    assert places(event).confirmed == 2
    (promoted,) = mail.outbox
    assert promoted.to == ["p2@example.org"]
    assert promoted.subject == "Er is een plaats voor u vrijgekomen: Loopbaandag"
    assert promoted.attachments

    # The same link again cancels nothing and promotes nobody.
    response = client.post(f"/en/events/registration/{cancel_token(first)}/cancel/")
    assert "Already cancelled" in words(parse(response).h1)
    assert [r.status for r in registrations()][3] == "waitlisted"


def test_without_a_waiting_list_a_full_event_says_so_and_stores_nothing(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, waitlist=False)
    post(client, event["en"], form_data(email="first@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event["fr"], form_data(email="second@example.org"))
        again = post(client, event["fr"], form_data(email="first@example.org"))
    assert response.status_code == 200
    assert "complet" in words(parse(response).h1)
    assert Registration.objects.count() == 1
    assert "Cet événement est complet" in words(parse(client.get(event["fr"].url)).main)
    # The one registered sees the same page, and learns the rest by email.
    assert again.status_code == 200
    assert words(parse(again).main) == words(parse(response).main)
    assert [message.to for message in mail.outbox] == [["first@example.org"]]
    assert mail.outbox[0].subject == "You were already registered: Diaspora career day"


def test_one_email_registers_once_whatever_the_language(client, event):
    post(client, event["en"], form_data(email="amina@example.org"))
    post(client, event["nl"], form_data(email="AMINA@example.org"))
    assert Registration.objects.count() == 1


def test_registering_again_answers_like_a_first_registration_and_emails_the_owner(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, event["nl"], form_data(email="amina@example.org"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = post(client, event["nl"], form_data(email="AMINA@example.org", name="Someone"))
        newcomer = post(client, event["nl"], form_data(email="jan@example.org"))
    # The page does not say whether the address was registered.
    assert first.status_code == again.status_code == newcomer.status_code == 200
    assert words(parse(again).main) == words(parse(first).main) == words(parse(newcomer).main)
    assert "Kijk in uw mailbox" in words(parse(again).h1)
    assert "ingeschreven" not in words(parse(again).h1)

    already, welcome = mail.outbox
    assert already.to == ["amina@example.org"]
    # In the language of the registration, to the name given then, not the new one.
    assert already.subject == "U was al ingeschreven: Loopbaandag"
    assert already.body.startswith("Beste Amina Diallo,")
    assert "Someone" not in already.body
    assert "/nl/events/registration/" in already.body  # the cancel link
    assert already.attachments  # a place at a dated event: the calendar file
    assert welcome.to == ["jan@example.org"]
    assert Registration.objects.count() == 2


def test_the_already_registered_email_goes_out_at_most_once_an_hour(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    post(client, event["en"], form_data(email="first@example.org"))
    post(client, event["en"], form_data(email="waiting@example.org"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            response = post(client, event["fr"], form_data(email="waiting@example.org"))
            assert response.status_code == 200
    (message,) = mail.outbox
    assert message.subject == "You were already registered: Diaspora career day"
    assert "You are on the waiting list" in message.body
    assert "You are number 1 on the list." in message.body
    assert not message.attachments  # no place: no calendar entry
    assert Registration.objects.count() == 2


def test_the_waiting_list_email_gives_the_position(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            post(client, event["fr"], form_data(email=f"p{n}@example.org"))
    assert [m.subject for m in mail.outbox][1:] == ["Liste d’attente\u00a0: Journée carrière"] * 2
    assert "Vous êtes numéro 2 sur la liste." in mail.outbox[2].body


def test_after_the_closing_date_registration_is_closed(client):
    event = make_event(closes=timezone.now() - timedelta(minutes=1))
    assert "Les inscriptions sont closes" in words(parse(client.get(event["fr"].url)).main)
    response = post(client, event["fr"], form_data())
    assert response.status_code == 200
    assert "Les inscriptions sont closes" in words(parse(response).h1)
    assert not Registration.objects.exists()


def test_a_past_event_takes_no_registration(client):
    event = make_event(start="past")
    assert "Registration is closed" in words(parse(post(client, event["en"], form_data())).h1)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (form_data(consent=""), "consent", "Veuillez cocher la case"),
        (form_data(email="not-an-address"), "email", "Saisissez une adresse e-mail valide"),
        (form_data(email="a@example.org\r\nBcc: x@example.org"), "email", "adresse e-mail"),
        (form_data(name="   "), "name", "Champ requis"),
        ({"email": "x@example.org"}, "name", "Champ requis"),
    ],
)
def test_bad_input_gets_field_errors_in_the_visitors_language(client, event, data, field, message):
    response = post(client, event["fr"], data)
    assert response.status_code == 400
    errors = parse(response).select_one(f"#id_register_{field}").find_parent(class_="field")
    assert message in words(errors)
    assert not Registration.objects.exists()


def test_oversized_cross_origin_and_bot_posts_store_nothing(client, event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = form_data(name="x" * 20_000)
    response = post(client, event["nl"], big)
    assert response.status_code == 400
    assert "te groot" in words(parse(response).main)

    response = client.post(
        register_url(event["en"]), form_data(), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403

    response = post(client, event["en"], form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_the_rate_limit_answers_429(client, event, settings):
    from events import registration_views

    registration_views.REGISTER_RATE_LIMIT = (2, 600)
    try:
        statuses = [
            post(
                client, event["en"], form_data(email=f"r{n}@example.org"), REMOTE_ADDR="10.9.9.9"
            ).status_code
            for n in range(3)
        ]
    finally:
        registration_views.REGISTER_RATE_LIMIT = (20, 600)
    assert statuses == [200, 200, 429]


def test_a_forged_cancel_link_is_refused_in_the_visitors_language(client, event):
    post(client, event["en"], form_data())
    token = cancel_token(Registration.objects.get())
    response = client.post(f"/nl/events/registration/{token[:-2]}xx/cancel/")
    assert response.status_code == 400
    assert "Deze link werkt niet" in words(parse(response).h1)
    assert Registration.objects.get().status == "confirmed"


def test_a_cancel_link_only_shows_a_button_on_get(client, event):
    post(client, event["fr"], form_data())
    token = cancel_token(Registration.objects.get())
    response = client.get(f"/en/events/registration/{token}/cancel/")
    assert "Annuler mon inscription" in words(parse(response).select_one("main form button"))
    assert Registration.objects.get().status == "confirmed"


def test_an_event_to_be_announced_registers_interest_then_sends_the_date_with_ics(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2, start=None, slug="tba-session")
    page = parse(client.get(event["en"].url))
    assert words(page.select_one("form.form--register button")) == "Register my interest"
    with django_capture_on_commit_callbacks(execute=True):
        post(client, event["en"], form_data(email="one@example.org"))
        post(client, event["fr"], form_data(email="two@example.org"))
        post(client, event["nl"], form_data(email="three@example.org"))
    assert [m.attachments for m in mail.outbox] == [[], [], []]
    assert "Its date is not set yet" in mail.outbox[0].body

    # Staff set the date on the English page only: the French and Dutch pages get
    # it when their translations are next synchronised, but it holds at once.
    mail.outbox.clear()
    english = event["en"]
    english.date_to_be_announced = False
    english.start = timezone.make_aware(timezone.datetime(2031, 3, 12, 14, 30))
    english.end = None
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    run_worker()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["one@example.org"].subject == "Date set: Diaspora career day"
    french = by_address["two@example.org"]
    assert french.subject == "Date fixée\u00a0: Journée carrière"
    assert "12 mars 2031 14:30" in french.body
    (name, content, _mimetype) = french.attachments[0]
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Journée carrière"
    assert vevent["DTSTART"].to_ical() == b"20310312T143000"
    waiting = by_address["three@example.org"]
    assert waiting.subject.startswith("Datum bekend")
    assert not waiting.attachments  # no place (yet): no calendar entry
    assert Registration.objects.filter(date_sent_at__isnull=False).count() == 3
    assert "12 mars 2031" in words(parse(client.get(event["fr"].url)).main)

    # Publishing again without moving the date announces nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    run_worker()
    assert not mail.outbox


def test_more_places_on_publish_go_to_those_waiting(
    client, event, django_capture_on_commit_callbacks
):
    for n in range(3):
        post(client, event["en"], form_data(email=f"p{n}@example.org"))
    english = event["en"]
    english.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    assert [r.status for r in registrations()] == ["confirmed"] * 3
    assert places(event).confirmed == 3


def test_the_editor_refuses_fewer_places_than_are_taken(client, event):
    for n in range(2):
        post(client, event["en"], form_data(email=f"p{n}@example.org"))
    english = event["en"]
    english.capacity = 1
    with pytest.raises(Exception, match="2 people already have a place"):
        english.full_clean()


def test_purge_deletes_registrations_a_year_after_the_event(client, capsys):
    old = make_event(start=timezone.now() + timedelta(days=1), slug="old-event")
    recent = make_event(slug="recent-event")
    post(client, old["en"], form_data(email="old@example.org"))
    post(client, recent["en"], form_data(email="recent@example.org"))
    # The old event took place 13 months ago.
    long_ago = timezone.now() - timedelta(days=400)
    type(old["en"]).objects.filter(translation_key=old["en"].translation_key).update(
        start=long_ago, end=long_ago + timedelta(hours=2)
    )
    call_command("purge_registrations")
    assert "Deleted 1 registration(s)" in capsys.readouterr().out
    assert [r.email for r in Registration.objects.all()] == ["recent@example.org"]
