"""The whole newsletter journey against a real SMTP server on 127.0.0.1:
subscribe → confirmation mail in French → confirm → staff send an issue to 300
subscribers in three languages through the task queue → each receives exactly one
message, in their language, with working one-click unsubscribe headers."""

import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from newsletter import subscriptions
from newsletter.models import Delivery, Mailing, NewsletterIssuePage, Subscriber
from tests.newsletter.smtp_server import smtp_server
from tests.newsletter.worker import run_worker
from tests.personal_links import press_the_button

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
PER_LANGUAGE = 100


def issue_versions():
    english = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    return {
        page.locale.language_code: page
        for page in english.get_translations(inclusive=True).select_related("locale")
    }


def add_confirmed_subscribers(counts):
    """Confirmed subscribers in bulk: `counts` = {"en": 100, ...}."""
    rows = [
        Subscriber(
            email=f"reader-{language}-{n}@example.org",
            language=language,
            status=Subscriber.Status.CONFIRMED,
            consent_text_version=subscriptions.CONSENT_TEXT_VERSION,
            consent_given_at="2026-11-01T10:00:00Z",
        )
        for language, count in counts.items()
        for n in range(count)
    ]
    Subscriber.objects.bulk_create(rows)


@pytest.mark.django_db
def test_subscribe_confirm_and_send_to_300_subscribers(
    client, editor_client, settings, django_capture_on_commit_callbacks
):
    versions = issue_versions()
    with smtp_server() as inbox:
        settings.MAILERS = inbox.mailers

        # A French reader subscribes from the French home page.
        with translation.override("fr"):
            subscribe_url = reverse("newsletter:subscribe")
        response = client.post(
            subscribe_url,
            {"email": "amina@example.org", "language": "fr", "consent": "on", "website": ""},
            **SAME_ORIGIN,
        )
        assert response.status_code == 303

        # The confirmation arrives through SMTP, in French.
        [confirmation] = inbox.to("amina@example.org")
        assert (
            confirmation["Subject"]
            == "Veuillez confirmer votre inscription à Engagement de la diaspora"
        )
        body = confirmation.get_body(("plain",)).get_content()
        assert "Bonjour" in body
        link = re.search(r"https?://testserver(/fr/\S+/confirm/\S+/)", body).group(1)
        _page, answer = press_the_button(link)
        assert "Vous êtes inscrit" in answer.content.decode()
        assert Subscriber.objects.get(email="amina@example.org").status == "confirmed"
        # Then her welcome, in French.
        assert len(inbox.messages) == 2
        assert "Bienvenue" in inbox.messages[1][1]["Subject"]

        add_confirmed_subscribers({"en": PER_LANGUAGE, "fr": PER_LANGUAGE - 1, "nl": PER_LANGUAGE})
        assert Subscriber.objects.filter(status="confirmed").count() == 3 * PER_LANGUAGE

        # Staff review the counts per language, then confirm.
        send_url = reverse("newsletter_admin:send", args=[versions["en"].pk])
        review = editor_client.post(send_url, {"step": "review"})
        text = " ".join(review.content.decode().split())
        for name in ("English", "French", "Dutch"):  # in the admin's language
            assert f"<td>{name}</td><td>{PER_LANGUAGE}</td>" in text
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(send_url, {"step": "confirm"})
        assert response.status_code == 302
        mailing = Mailing.objects.get()

        # Queued in the database for the worker, not sent within the request.
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        assert len(inbox.messages) == 2

        run_worker()

    received = Counter(rcpt for rcpts, _message in inbox.messages[2:] for rcpt in rcpts)
    assert len(received) == 3 * PER_LANGUAGE
    assert set(received.values()) == {1}  # exactly one message each

    by_address = {rcpts[0]: message for rcpts, message in inbox.messages[2:]}
    for subscriber in Subscriber.objects.filter(status="confirmed"):
        message = by_address[subscriber.email]
        version = versions[subscriber.language]
        assert message["Subject"] == version.title
        html = message.get_body(("html",)).get_content()
        assert f'<html lang="{subscriber.language}">' in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        https, mailto = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
        assert https.startswith("http://testserver/") and "/unsubscribe/" in https
        assert mailto.startswith("mailto:")
    assert by_address["amina@example.org"]["Subject"] == versions["fr"].title
    assert versions["fr"].title != versions["en"].title

    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE
    assert Delivery.objects.filter(mailing=mailing, status="sent").count() == 3 * PER_LANGUAGE

    # One-click unsubscribe, as a mail client does it: a POST with no cookie and no
    # CSRF token (the client enforces CSRF checks like a browser would).
    message = by_address["reader-nl-7@example.org"]
    https = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])[0]
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        https.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(email="reader-nl-7@example.org").status == "unsubscribed"


@pytest.mark.django_db
def test_wagtail_tasks_stay_immediate_while_sending_is_queued(
    editor_client, settings, django_capture_on_commit_callbacks
):
    """The two task backends: Wagtail's own work (the search index) runs at once on
    "default"; the newsletter's goes to the database queue until a worker runs it."""
    from wagtail.models import Page

    issue = issue_versions()["en"]
    with django_capture_on_commit_callbacks(execute=True):
        issue.title = "Diaspora Newsletter, issue 1 — zanzibarite"
        issue.save_revision().publish()
    assert Page.objects.live().search("zanzibarite").count() == 1
    assert not DBTaskResult.objects.exists()

    add_confirmed_subscribers({"en": 2})
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("newsletter_admin:send", args=[issue.pk]), {"step": "confirm"})
    task = DBTaskResult.objects.get()
    assert task.backend_name == "background"
    assert task.status == "READY"
    assert not Delivery.objects.exists()  # nothing happens until a worker runs it
