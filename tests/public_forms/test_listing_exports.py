"""The admin's exports show what the listings show: a choice's label, Yes or No, in
the exporting user's language, and Brussels time to the second (not the stored
value, True/False and UTC with microseconds)."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from events.models import Registration
from newsletter.models import Subscriber
from public_forms.models import PublicFormSubmission
from tests.events.factories import form_data, make_event, register_url

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# 17:30:05.123456 UTC is 18:30:05 in Brussels (CET) on 15 March 2027.
STORED = datetime.datetime(2027, 3, 15, 17, 30, 5, 123456, tzinfo=UTC)
SHOWN = "2027-03-15 18:30:05"


@pytest.fixture
def french_admin(editor_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "fr"
    profile.save()
    return editor_client


def csv_rows(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(headings, row, strict=True)) for row in rows]


@pytest.fixture
def registrations(client):
    pages = make_event(capacity=1)
    for n, language in enumerate(["fr", "nl"]):
        client.post(
            register_url(pages[language]),
            form_data(email=f"p{n}@example.org", **({"diaspora_member": ""} if n else {})),
            HTTP_ORIGIN="http://testserver",
        )
    Registration.objects.update(created_at=STORED, status_changed_at=STORED, consent_at=STORED)
    return pages


def test_the_registrations_export_shows_the_listings_values_in_the_users_language(
    french_admin, registrations
):
    url = reverse("wagtailsnippets_events_registration:list")
    listing = french_admin.get(url).content.decode()
    assert "Place confirmée" in listing and "Sur la liste d’attente" in listing

    rows = csv_rows(french_admin.get(url + "?export=csv"))
    assert sorted(row["État"] for row in rows) == ["Place confirmée", "Sur la liste d’attente"]
    assert sorted(row["Membre de la diaspora"] for row in rows) == ["Non", "Oui"]
    assert {row["Inscrit le"] for row in rows} == {SHOWN}
    assert {row["Consentement donné le"] for row in rows} == {SHOWN}
    assert "confirmed" not in {row["État"] for row in rows}

    rows = xlsx_rows(french_admin.get(url + "?export=xlsx"))
    assert sorted(row["État"] for row in rows) == ["Place confirmée", "Sur la liste d’attente"]
    assert sorted(row["Membre de la diaspora"] for row in rows) == ["Non", "Oui"]
    assert {row["Inscrit le"] for row in rows} == {datetime.datetime(2027, 3, 15, 18, 30, 5)}


def test_the_subscribers_export_shows_labels_and_brussels_time(editor_client):
    Subscriber.objects.create(
        email="amina@example.org",
        language="fr",
        status=Subscriber.Status.CONFIRMED,
        confirmed_at=STORED,
        consent_source='=HYPERLINK("x")',
    )
    url = reverse("wagtailsnippets_newsletter_subscriber:list")
    (row,) = csv_rows(editor_client.get(url + "?export=csv"))
    assert row["Status"] == "confirmed" and row["Language"] == "Français"
    assert row["Confirmed at"] == SHOWN
    assert row["Consent source"].startswith("'=")  # still never a formula


def test_the_form_answers_export_shows_brussels_time(editor_client, client):
    from tests.helpers import demo_page
    from tests.home.test_survey_results import answer_survey

    survey = demo_page("survey", "fr")
    answer_survey(client, survey, "fr")
    PublicFormSubmission.objects.update(submit_time=STORED)
    url = reverse("wagtailforms:list_submissions", args=(survey.pk,))
    (row,) = csv_rows(editor_client.get(url + "?export=csv"))
    assert row["Submission date"] == SHOWN
