"""Text that would not display as typed (bidi overrides and isolates, zero-width and
other invisible format characters, control characters) is refused with a clear
message in every public form, and the admin's listings isolate what visitors typed
in <bdi> (security/text.py)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from events.models import EventPlaces, EventProposal, Registration
from newsletter.models import Subscriber
from public_forms.models import PublicFormSubmission
from security.text import HIDDEN_CHARACTERS_MESSAGE, hidden_characters
from tests.events.factories import form_data, make_event, register_url
from tests.events.test_proposals import proposal, stored
from tests.helpers import demo_page, soup

pytestmark = pytest.mark.django_db
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}

HIDDEN = [
    "\u202egnp.exe",  # right-to-left override
    "Amina\u2066 Diallo\u2069",  # an isolate
    "Am\u200bina",  # zero-width space
    "\ufeffAmina",  # byte order mark
    "Amina\u200e",  # left-to-right mark
    "Amina\x1b[31m",  # a terminal escape
    "Amina\u2028Diallo",  # a line separator
]


def message(language):
    with translation.override(language):
        return gettext(HIDDEN_CHARACTERS_MESSAGE)


def parse(response):
    return BeautifulSoup(response.content, "html.parser")


def field_error(response, field_id):
    error = parse(response).select_one(f"#{field_id}").find_parent(class_="field")
    return " ".join(error.get_text(" ").split())


def test_the_check_keeps_what_scripts_and_emoji_need():
    assert hidden_characters("مهر\u200cناز") == []  # Persian: zero-width non-joiner
    assert hidden_characters("👨\u200d👩\u200d👧") == []  # an emoji family: joiners
    assert hidden_characters("שלום עולם مرحبا") == []
    assert hidden_characters("line one\r\n\tline two", multiline=True) == []
    assert hidden_characters("line one\nline two") == ["\n"]
    for value in HIDDEN:
        assert hidden_characters(value), repr(value)
        # A line separator is a line break, fine where line breaks are.
        assert hidden_characters(value, multiline=True) or "\u2028" in value, repr(value)


@pytest.mark.parametrize("value", HIDDEN)
def test_registration_refuses_a_name_that_would_not_display_as_typed(client, value):
    event = make_event(capacity=5)
    response = client.post(register_url(event["fr"]), form_data(name=value), **SAME_ORIGIN)
    assert response.status_code == 400
    assert message("fr") in field_error(response, "id_register_name")
    assert message("fr") != message("en")  # translated
    assert not Registration.objects.exists()


def test_registration_takes_a_persian_name_and_refuses_an_override_in_the_organisation(client):
    event = make_event(capacity=5)
    ok = client.post(register_url(event["nl"]), form_data(name="مهر\u200cناز"), **SAME_ORIGIN)
    assert ok.status_code == 303
    assert Registration.objects.get().name == "مهر\u200cناز"
    refused = client.post(
        register_url(event["nl"]),
        form_data(email="jan@example.org", organisation="\u202eACME"),
        **SAME_ORIGIN,
    )
    assert refused.status_code == 400
    assert message("nl") in field_error(refused, "id_register_organisation")
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("field", ["title", "name", "city", "description"])
def test_an_event_proposal_refuses_hidden_characters(client, field):
    before = stored()
    response = client.post(
        "/fr/events/propose/",
        proposal(**{field: "Forum \u202ede la diaspora"}),
        **SAME_ORIGIN,
    )
    assert response.status_code == 200
    error = soup(response).select_one(f"#id_proposal_{field}_error")
    assert error.get_text(strip=True) == message("fr")
    assert stored() == before


def test_a_subscription_refuses_an_address_with_an_override(client):
    response = client.post(
        "/fr/newsletter/subscribe/",
        {"email": "amina\u202e@example.org", "language": "fr", "consent": "on", "website": ""},
        **SAME_ORIGIN,
    )
    assert response.status_code in (200, 400)
    assert parse(response).select(".errorlist")
    assert not Subscriber.objects.exists()


def test_a_form_page_refuses_hidden_characters_in_one_line_and_multi_line_answers(client):
    contact = demo_page("contact", "fr")
    data = {"name": "Amina", "email": "amina@example.org", "message": "Bonjour", "consent": "on"}
    for field, value in [("name", "\u202eAmina"), ("message", "Bonjour\u2067 !")]:
        response = client.post(contact.form_action_url, {**data, field: value}, **SAME_ORIGIN)
        assert message("fr") in " ".join(parse(response).get_text(" ").split()), field
    assert not PublicFormSubmission.objects.exists()
    # Line breaks and tabs are fine in a multi-line answer.
    response = client.post(
        contact.form_action_url, {**data, "message": "Bonjour,\r\n\tmerci."}, **SAME_ORIGIN
    )
    assert response.status_code == 200
    assert PublicFormSubmission.objects.get().form_data["message"] == "Bonjour,\r\n\tmerci."


# --- The admin's listings ----------------------------------------------------------

OVERRIDE = "\u202eAmina Diallo"


def isolated_texts(response):
    return [" ".join(bdi.get_text().split()) for bdi in soup(response).select("tbody bdi")]


def test_the_registrations_listing_isolates_names_and_addresses(editor_client):
    event = make_event(capacity=5)
    # Stored before the check existed (or by a future path): still isolated.
    Registration.objects.create(
        places=EventPlaces.objects.for_event(event["en"]),
        name=OVERRIDE,
        email="amina@example.org",
        language="fr",
        status=Registration.Status.CONFIRMED,
        consent_text="…",
        consent_at="2026-11-01T10:00:00Z",
    )
    response = editor_client.get(reverse("wagtailsnippets_events_registration:list"))
    assert OVERRIDE in isolated_texts(response)
    assert "amina@example.org" in isolated_texts(response)


def test_the_subscribers_listing_isolates_addresses(editor_client):
    Subscriber.objects.create(
        email="amina@example.org",
        language="fr",
        status=Subscriber.Status.CONFIRMED,
        consent_text_version="v1",
        consent_given_at="2026-11-01T10:00:00Z",
    )
    response = editor_client.get(reverse("wagtailsnippets_newsletter_subscriber:list"))
    assert isolated_texts(response) == ["amina@example.org"]


def test_the_proposals_listing_isolates_what_the_organiser_typed(client, editor_client):
    assert client.post("/en/events/propose/", proposal(), **SAME_ORIGIN).status_code == 303
    EventProposal.objects.update(name=OVERRIDE, organisation="\u2067ACME")
    response = editor_client.get("/admin/event_proposals/")
    texts = isolated_texts(response)
    assert OVERRIDE in texts and "\u2067ACME" in texts and "aline@example.org" in texts
    assert "Forum de la diaspora rwandaise" in texts  # the draft's title, typed by them


def test_the_form_submissions_listing_isolates_answers(client, editor_client):
    contact = demo_page("contact", "en")
    data = {"name": "مهر\u200cناز", "email": "m@example.org", "message": "Hi", "consent": "on"}
    assert client.post(contact.form_action_url, data, **SAME_ORIGIN).status_code == 200
    PublicFormSubmission.objects.update(
        form_data={"name": OVERRIDE, "email": "m@example.org", "message": "Hi"}
    )
    response = editor_client.get(reverse("wagtailforms:list_submissions", args=(contact.pk,)))
    assert OVERRIDE in isolated_texts(response)
