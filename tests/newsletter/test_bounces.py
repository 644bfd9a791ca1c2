"""Bounces and complaints arrive from the email service through django-anymail's
tracking webhook; here Postmark's, with its real payloads and basic auth."""

import base64
import json
import logging

import pytest
from django.test import override_settings

from newsletter.models import Subscriber

URL = "/anymail/postmark/tracking/"
SECRET = "hooks:s3cret-Webhook-Pass"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}


def make_subscriber(**fields):
    defaults = {"email": "amina@example.org", "language": "fr", "status": "confirmed"}
    return Subscriber.objects.create(**{**defaults, **fields})


def bounce(type_="HardBounce", type_code=1, email="Amina@Example.org", inactive=True):
    """Postmark's bounce webhook payload (as in its documentation)."""
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": type_,
        "TypeCode": type_code,
        "Name": "Hard bounce" if type_ == "HardBounce" else "Soft bounce",
        "Tag": "newsletter",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "diaspora@iom-belgium.example",
        "BouncedAt": "2026-11-30T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": inactive,
        "CanActivate": True,
        "Subject": "Diaspora Engagement 12",
    }


def complaint(email="amina@example.org"):
    """Postmark's spam complaint webhook payload."""
    return {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "newsletter",
        "MessageID": "00000000-0000-0000-0000-000000000000",
        "Metadata": {},
        "ServerID": 1234,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": email,
        "From": "diaspora@iom-belgium.example",
        "BouncedAt": "2026-11-30T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Diaspora Engagement 12",
    }


def post(client, payload, **headers):
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.django_db
@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_hard_bounce_marks_the_subscriber_bounced(client, caplog):
    subscriber = make_subscriber()
    with caplog.at_level(logging.INFO, logger="newsletter"):
        response = post(client, bounce(), **AUTH)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert subscriber.status_changed_at is not None
    assert not Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).exists()
    assert f"Subscriber {subscriber.pk} marked bounced" in caplog.text
    assert "amina" not in caplog.text.lower()


@pytest.mark.django_db
@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_complaint_marks_the_subscriber_complained_even_after_a_bounce(client):
    subscriber = make_subscriber(status=Subscriber.Status.BOUNCED)
    assert post(client, complaint(), **AUTH).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.COMPLAINED
    # A later bounce does not hide the complaint.
    post(client, bounce(), **AUTH)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.COMPLAINED


@pytest.mark.django_db
@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
@pytest.mark.parametrize(
    "payload",
    [
        bounce("SoftBounce", 4096, inactive=False),  # mailbox full: anymail says "bounced"
        bounce("Transient", 2, inactive=False),  # anymail: "deferred"
        bounce("DnsError", 32, inactive=False),  # anymail: "deferred"
        {
            "RecordType": "Delivery",
            "MessageStream": "outbound",
            "ServerID": 23,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Recipient": "amina@example.org",
            "Tag": "newsletter",
            "DeliveredAt": "2026-11-30T16:33:54.9070259Z",
            "Details": "Test delivery webhook details",
            "Metadata": {},
        },
    ],
)
def test_soft_bounces_and_other_events_change_nothing(client, payload):
    subscriber = make_subscriber()
    assert post(client, payload, **AUTH).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.status_changed_at is None


@pytest.mark.django_db
@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_bounce_for_an_unknown_address_is_accepted_and_ignored(client):
    make_subscriber()
    assert post(client, bounce(email="stranger@example.org"), **AUTH).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hooks:wrong").decode()},
    ],
)
def test_a_request_without_the_secret_is_refused(client, headers):
    subscriber = make_subscriber()
    assert post(client, bounce(), **headers).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning")
def test_without_an_email_service_configured_the_webhook_changes_nothing(client, settings):
    """Plain SMTP: ANYMAIL is empty, and an unprotected webhook must not let anyone
    remove people from the list."""
    assert settings.ANYMAIL == {}
    subscriber = make_subscriber()
    post(client, bounce())
    post(client, complaint())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
