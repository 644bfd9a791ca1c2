"""The old mailing list: imported as invited contacts from a CSV file, each sent one
invitation (in the background, never twice), accepted on a signed page."""

import logging
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from home.models import CountryPage
from newsletter import importing, invitations, subscriptions
from newsletter.models import Subscriber
from tests.helpers import soup, text_of
from tests.newsletter.worker import run_worker

IMPORT_URL = "/admin/snippets/newsletter/subscriber/import/"
INVITATIONS_URL = "/admin/snippets/newsletter/subscriber/invitations/"
TASK_PATH = "newsletter.invitations.send_invitations"


def upload(client, content, name="contacts.csv", **extra):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), **extra})


def make_subscriber(**fields):
    defaults = {"email": "known@example.org", "language": "en"}
    return Subscriber.objects.create(**{**defaults, **fields})


def invited(**fields):
    return make_subscriber(**{"status": Subscriber.Status.INVITED, **fields})


def accept_link(message):
    return re.search(r"https?://testserver(/\S+/accept/\S+/)", message.body).group(1)


def country(title):
    return CountryPage.objects.get(locale__language_code="en", title=title)


# --- Import ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_page_shows_an_upload_form(editor_client):
    page = soup(editor_client.get(IMPORT_URL))
    form = page.select_one("form[enctype='multipart/form-data']")
    assert form.select_one("input[type=file][name=file]")
    assert form.select_one("input[name=csrfmiddlewaretoken]")


@pytest.mark.django_db
def test_a_messy_but_usable_file_imports_new_contacts_and_reports_every_line(editor_client):
    make_subscriber(email="known@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    make_subscriber(email="member@example.org", status=Subscriber.Status.CONFIRMED)
    content = (
        "\ufeffEmail;Language\r\n"  # a byte-order mark, semicolons, capitals
        "Amina@Example.ORG;FR\r\n"
        "\r\n"  # blank line
        "jan@example.be;nl\r\n"
        "KNOWN@example.org;en\r\n"  # unsubscribed: left alone
        "member@example.org;fr\r\n"  # subscribed: left alone
        "amina@example.org;fr\r\n"  # twice in the file
        "not-an-address;en\r\n"  # line 8
        "paul@example.com;de\r\n"  # line 9
        '"a@b.c\r\nBcc: victim@example.org";en\r\n'  # lines 10-11: header injection
        ";\r\n"  # an empty row, like a blank line
        "lucie@example.fr;\r\n"  # line 13: no language
    )
    response = upload(editor_client, content)
    text = text_of(response)

    assert "2 new contacts imported" in text
    assert "2 addresses skipped: already known" in text
    assert "1 line skipped: the address appears earlier in the file" in text
    assert "4 invalid lines" in text
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup(response).select("tr.import-error")
    ]
    assert rows[0][0] == "8" and "not a valid email address" in rows[0][1]
    assert rows[1][0] == "9" and "Unknown language “de”" in rows[1][1]
    assert rows[2][0] == "11" and "line break" in rows[2][1]
    assert rows[3][0] == "13" and "language is missing" in rows[3][1]

    stored = {s.email: s for s in Subscriber.objects.filter(status=Subscriber.Status.INVITED)}
    assert set(stored) == {"amina@example.org", "jan@example.be"}
    assert stored["amina@example.org"].language == "fr"
    assert stored["jan@example.be"].language == "nl"
    assert stored["jan@example.be"].invitation_sent_at is None
    assert stored["jan@example.be"].consent_given_at is None
    assert Subscriber.objects.get(email="known@example.org").status == "unsubscribed"
    assert Subscriber.objects.get(email="member@example.org").status == "confirmed"
    assert mail.outbox == []  # importing sends nothing


@pytest.mark.django_db
def test_a_comma_separated_file_with_columns_in_another_order(editor_client):
    upload(editor_client, "language,email,name\nnl,jan@example.be,Jan\nen,ann@example.org,\n")
    assert set(Subscriber.objects.values_list("email", "language")) == {
        ("jan@example.be", "nl"),
        ("ann@example.org", "en"),
    }


@pytest.mark.django_db
def test_a_windows_1252_file_is_read(editor_client):
    upload(editor_client, "email;language;name\nrene@example.org;fr;René\n".encode("cp1252"))
    assert Subscriber.objects.filter(email="rene@example.org", language="fr").exists()


@pytest.mark.django_db
def test_checking_only_stores_nothing(editor_client):
    response = upload(editor_client, "email,language\na@example.org,en\nbad,en\n", dry_run="on")
    text = text_of(response)
    assert "nothing was imported" in text
    assert "1 new contact would be imported" in text
    assert "1 invalid line" in text
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, says",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (b"", "The submitted file is empty"),
        ("\n\n", "The file is empty"),
        ("address,lang\na@example.org,en\n", "must name the columns"),
        ("a@example.org,en\nb@example.org,fr\n", "must name the columns"),
        ("email,language\n" + "x" * (2 * 1024 * 1024), "too large"),
        (
            "email,language\n" + "".join(f"p{n}@example.org,en\n" for n in range(20_001)),
            "too many rows",
        ),
    ],
)
def test_an_unusable_file_is_refused_and_nothing_is_stored(editor_client, content, says):
    response = upload(editor_client, content)
    assert response.status_code == 200
    assert says in text_of(response)
    assert soup(response).select(".error-message, .w-field__errors")
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_the_import_is_one_transaction(editor_client, monkeypatch):
    """A failure while inserting (someone subscribing at that very moment) leaves
    nothing half-imported."""
    monkeypatch.setattr(importing, "CHUNK", 2)
    real = Subscriber.objects.bulk_create
    calls = []

    def failing_bulk_create(objects, **kwargs):
        calls.append(len(objects))
        real(objects[:2], **kwargs)
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(Subscriber.objects, "bulk_create", failing_bulk_create)
    content = "email,language\n" + "".join(f"p{n}@example.org,en\n" for n in range(5))
    response = upload(editor_client, content)
    assert calls
    assert "Nothing was imported" in text_of(response)
    assert not Subscriber.objects.exists()


# --- Sending the invitations -------------------------------------------------------


@pytest.mark.django_db
def test_the_task_sends_one_invitation_in_each_contacts_language():
    french = invited(email="amina@example.org", language="fr")
    english = invited(email="ann@example.org", language="en")
    already = invited(email="old@example.org", invitation_sent_at=timezone.now())
    make_subscriber(email="member@example.org", status=Subscriber.Status.CONFIRMED)
    make_subscriber(email="left@example.org", status=Subscriber.Status.UNSUBSCRIBED)

    assert invitations.send_invitations.call() == {"sent": 2, "failed": 0}

    assert sorted(message.to[0] for message in mail.outbox) == [
        "amina@example.org",
        "ann@example.org",
    ]
    by_address = {message.to[0]: message for message in mail.outbox}
    fr = by_address["amina@example.org"]
    assert fr.subject.startswith("Souhaitez-vous recevoir la lettre d’information")
    assert "Engagement de la diaspora" in fr.subject
    assert "\n" not in fr.subject
    assert "Vous recevez cet e-mail parce que vous avez été en contact avec l’OIM" in fr.body
    assert "OIM Belgique et Luxembourg" in fr.body
    assert accept_link(fr).startswith("/fr/newsletter/accept/")
    en = by_address["ann@example.org"]
    assert "in contact with IOM Belgium and Luxembourg" in en.body
    assert "30 days" in en.body
    assert accept_link(en).startswith("/en/newsletter/accept/")

    for subscriber in (french, english):
        subscriber.refresh_from_db()
        assert subscriber.invitation_sent_at is not None
        assert subscriber.status == Subscriber.Status.INVITED  # not subscribed until accepted
    already.refresh_from_db()
    assert already.status == Subscriber.Status.INVITED


@pytest.mark.django_db
def test_running_twice_never_invites_anyone_twice():
    invited(email="a@example.org")
    invited(email="b@example.org")
    invitations.send_invitations.call()
    assert invitations.send_invitations.call() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_two_workers_at_once_send_each_invitation_once(monkeypatch):
    """A second worker runs in full while the first is sending its first message:
    both saw the same contacts waiting, each contact still gets one email."""
    for n in range(5):
        invited(email=f"p{n}@example.org")
    real = invitations.invitation_message
    nested = []
    started = []

    def message_while_another_worker_runs(subscriber):
        if not started:
            started.append(True)
            nested.append(invitations.send_invitations.call())
        return real(subscriber)

    monkeypatch.setattr(invitations, "invitation_message", message_while_another_worker_runs)
    first = invitations.send_invitations.call()
    assert nested == [{"sent": 4, "failed": 0}]
    assert first == {"sent": 1, "failed": 0}
    addresses = [message.to[0] for message in mail.outbox]
    assert sorted(addresses) == [f"p{n}@example.org" for n in range(5)]


@pytest.mark.django_db
def test_a_failed_invitation_can_be_sent_later_and_the_log_holds_no_address(monkeypatch, caplog):
    invited(email="fails@example.org")
    invited(email="works@example.org")
    real = invitations.invitation_message

    def failing(subscriber):
        if subscriber.email == "fails@example.org":
            raise OSError("refused: fails@example.org")
        return real(subscriber)

    monkeypatch.setattr(invitations, "invitation_message", failing)
    with caplog.at_level(logging.INFO, logger="newsletter"):
        assert invitations.send_invitations.call() == {"sent": 1, "failed": 1}
    assert "fails@example.org" not in caplog.text
    assert Subscriber.objects.get(email="fails@example.org").invitation_sent_at is None

    monkeypatch.setattr(invitations, "invitation_message", real)
    assert invitations.send_invitations.call() == {"sent": 1, "failed": 0}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "fails@example.org",
        "works@example.org",
    ]


@pytest.mark.django_db
def test_the_admin_queues_the_task_on_the_newsletter_backend(editor_client):
    invited(email="a@example.org")
    invited(email="b@example.org")
    page = text_of(editor_client.get(INVITATIONS_URL))
    assert "2 imported contacts have not had their invitation yet" in page

    response = editor_client.post(INVITATIONS_URL)
    assert response.status_code == 302
    queued = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert queued.backend_name == "background"
    assert queued.status == "READY"
    assert mail.outbox == []  # nothing is sent in the request

    # The worker (`manage.py db_worker --backend background`) runs it.
    run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == {"sent": 2, "failed": 0}
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_with_nobody_waiting_nothing_is_queued(editor_client):
    invited(email="a@example.org", invitation_sent_at=timezone.now())
    editor_client.post(INVITATIONS_URL)
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


@pytest.mark.django_db
def test_after_an_import_the_page_offers_to_send_the_invitations(editor_client):
    page = soup(upload(editor_client, "email,language\na@example.org,en\n"))
    assert page.select_one(f"a[href='{INVITATIONS_URL}']")


# --- Accepting ---------------------------------------------------------------------


def accept_path(subscriber):
    return invitations.accept_url(subscriber).removeprefix("http://testserver")


@pytest.mark.django_db
def test_the_acceptance_page_shows_the_consent_and_choices_and_get_changes_nothing(client):
    contact = invited(email="amina@example.org", language="fr")
    path = accept_path(contact)
    response = client.get(path)
    page = soup(response)
    assert page.select_one("html")["lang"] == "fr"
    assert "no-store" in response["Cache-Control"]
    consent = page.select_one("label[for=id_accept_consent]").get_text(" ", strip=True)
    with translation.override("fr"):
        assert str(subscriptions.CONSENT_TEXT) in consent
    assert page.select_one("#id_accept_language option[selected]")["value"] == "fr"
    assert page.select("#id_accept_countries input[type=checkbox]")
    client.head(path)
    contact.refresh_from_db()
    assert contact.status == Subscriber.Status.INVITED
    assert contact.consent_given_at is None


@pytest.mark.django_db
def test_accepting_with_consent_records_it_and_subscribes_at_once(client):
    contact = invited(email="amina@example.org", language="fr")
    rwanda = country("Rwanda")
    response = client.post(
        accept_path(contact), {"language": "nl", "countries": [rwanda.pk], "consent": "on"}
    )
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "U bent ingeschreven" in response.text

    contact.refresh_from_db()
    assert contact.status == Subscriber.Status.CONFIRMED
    assert contact.language == "nl"
    assert list(contact.countries.all()) == [rwanda]
    assert contact.consent_text_version == subscriptions.CONSENT_TEXT_VERSION
    assert contact.consent_source == "invitation"
    assert timezone.now() - contact.consent_given_at < timedelta(minutes=1)
    assert contact.confirmed_at is not None
    assert contact.status_changed_at is not None
    # No confirmation email (the click proved the address): the welcome only.
    (welcome,) = mail.outbox
    assert welcome.subject == "Welkom bij de nieuwsbrief Diaspora-engagement"

    # The link again (a mail scanner, a second click) changes nothing.
    again = client.get(accept_path(contact))
    assert again.status_code == 200
    contact.refresh_from_db()
    assert contact.language == "nl"


@pytest.mark.django_db
def test_without_consent_nothing_is_stored(client):
    contact = invited(email="amina@example.org", language="en")
    response = client.post(accept_path(contact), {"language": "en"})
    assert "Please tick the box to agree" in text_of(response)
    contact.refresh_from_db()
    assert contact.status == Subscriber.Status.INVITED
    assert contact.consent_given_at is None


@pytest.mark.django_db
def test_an_expired_invitation_link_is_a_clear_400(client):
    contact = invited(email="amina@example.org", language="en")
    thirty_one_days_ago = time.time() - 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=thirty_one_days_ago):
        path = accept_path(contact)
    response = client.post(path, {"language": "en", "consent": "on"})
    assert response.status_code == 400
    assert "invalid or has expired" in response.text
    contact.refresh_from_db()
    assert contact.status == Subscriber.Status.INVITED


@pytest.mark.django_db
def test_a_forged_invitation_link_is_a_clear_400(client):
    contact = invited(email="amina@example.org", language="en")
    token = invitations.invitation_token(contact)
    for bad in [
        token[:-2] + "xx",
        subscriptions.unsubscribe_token(contact),
        subscriptions.preferences_token(contact),
        signing.dumps([contact.pk, contact.email]),
    ]:
        with translation.override("en"):
            path = reverse("newsletter:accept", args=[bad])
        response = client.post(path, {"language": "en", "consent": "on"})
        assert response.status_code == 400
        assert "This link does not work" in response.text
    contact.refresh_from_db()
    assert contact.status == Subscriber.Status.INVITED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, "complained"]
)
def test_an_old_invitation_does_not_resubscribe_someone_who_left(client, status):
    contact = invited(email="amina@example.org", language="en")
    path = accept_path(contact)
    Subscriber.objects.filter(pk=contact.pk).update(status=status)
    response = client.post(path, {"language": "en", "consent": "on"})
    assert response.status_code == 400
    assert "To receive the newsletter again, subscribe again" in response.text
    contact.refresh_from_db()
    assert contact.status == status


@pytest.mark.django_db
def test_the_emailed_link_works_end_to_end(client):
    invited(email="amina@example.org", language="en")
    invitations.send_invitations.call()
    path = accept_link(mail.outbox[0])
    client.post(path, {"language": "en", "consent": "on"})
    assert Subscriber.objects.get(email="amina@example.org").status == "confirmed"
