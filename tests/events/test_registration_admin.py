"""Registrations in the admin: all languages of an event in one list, the CSV
export, a reminder to those with a place, cancelling, and who may see any of it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from events.models import EventPlaces, Registration
from tests.events.factories import form_data, make_event, register_url
from tests.helpers import soup
from tests.newsletter.worker import run_worker
from translation_workflow.roles import TRANSLATOR_GROUPS

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_events_registration:list")


@pytest.fixture
def event(client):
    """An event with 2 places: one registration in each language, the last waiting."""
    pages = make_event(capacity=2)
    for n, language in enumerate(["en", "fr", "nl"]):
        client.post(
            register_url(pages[language]),
            form_data(email=f"p{n}@example.org", organisation=f'=HYPERLINK("x{n}")'),
            HTTP_ORIGIN="http://testserver",
        )
    return pages


def places(event):
    return EventPlaces.objects.get(event_key=event["en"].translation_key)


def test_the_event_editor_links_to_its_registrations_in_all_languages(editor_client, event):
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[event["fr"].pk]))
    url = f"{LIST_URL}?places={places(event).pk}"
    link = soup(edit).select_one(f'a[href="{url}"]')
    assert link.get_text(strip=True) == "Registrations"

    listing = soup(editor_client.get(url))
    rows = listing.select("table.listing tbody tr")
    assert len(rows) == 3
    # A name opens the details, not the cancellation.
    assert "/inspect/" in rows[0].select_one("td a")["href"]
    text = " ".join(listing.select_one("table.listing").get_text(" ").split())
    for address in ("p0@example.org", "p1@example.org", "p2@example.org"):
        assert address in text
    assert "On the waiting list" in text


def test_the_csv_export_holds_every_language_and_neutralises_formulas(editor_client, event):
    response = editor_client.get(f"{LIST_URL}?places={places(event).pk}&export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    # As the listing shows them (public_forms.exports).
    assert sorted(row["Language"] for row in rows) == ["English", "Français", "Nederlands"]
    assert {row["Event"] for row in rows} == {"Diaspora career day"}
    assert all(row["Organisation"].startswith("'=") for row in rows)
    assert all(row["Consent given"].startswith("I agree") or row["Consent given"] for row in rows)


def test_a_reminder_goes_to_those_with_a_place_in_their_language(
    editor_client, event, django_capture_on_commit_callbacks
):
    url = reverse("events_admin:remind", args=[places(event).pk])
    page = soup(editor_client.get(url))
    assert "2 people" in page.get_text()
    mail.outbox.clear()
    response = editor_client.post(url, {"note": "Room 2.14, second floor."})
    assert response.status_code == 302
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org"]
    french = next(m for m in mail.outbox if m.to == ["p1@example.org"])
    assert "Room 2.14, second floor." in french.body
    assert french.attachments
    assert Registration.objects.filter(reminded_at__isnull=False).count() == 2


def test_staff_cancel_a_registration_and_the_first_waiting_gets_the_place(
    editor_client, event, django_capture_on_commit_callbacks
):
    first = Registration.objects.get(email="p0@example.org")
    url = reverse("wagtailsnippets_events_registration:edit", args=[first.pk])
    assert "Cancel the registration" in soup(editor_client.get(url)).get_text()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "p0@example.org": "cancelled",
        "p1@example.org": "confirmed",
        "p2@example.org": "confirmed",
    }
    assert [m.to for m in mail.outbox] == [["p2@example.org"]]


def test_staff_cannot_add_a_registration(editor_client):
    response = editor_client.get(reverse("wagtailsnippets_events_registration:add"))
    assert response.status_code == 302
    assert not Registration.objects.exists()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translators_see_no_registrations(client, django_user_model, event, language):
    user = django_user_model.objects.create_user(f"t-{language}", password="pw")
    user.groups.add(Group.objects.get(name=TRANSLATOR_GROUPS[language]))
    client.force_login(user)
    for url in (
        LIST_URL,
        f"{LIST_URL}?places={places(event).pk}&export=csv",
        reverse("events_admin:remind", args=[places(event).pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"p0@example.org" not in response.content
    menu = soup(client.get(reverse("wagtailadmin_home")))
    assert "Registrations" not in menu.get_text()


def test_editors_group_may_see_registrations(client, django_user_model, event):
    user = django_user_model.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    assert client.get(LIST_URL).status_code == 200
