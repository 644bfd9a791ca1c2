"""An opt-out stays until the person confirms: a request from the public form for a
known address changes nothing until its emailed link is confirmed; bounced and
complained addresses get no email from the form; every opt-out is kept on the
suppression list, where it outlives purges and deletions, so that no import or
invitation reaches it again; staff reinstate a bounced or complained address only
by recording new consent."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from newsletter import invitations, subscriptions
from newsletter.models import Subscriber, SubscriptionRequest
from privacy.models import SuppressedAddress
from privacy.suppression import address_digest, is_suppressed
from tests.helpers import soup, text_of
from tests.newsletter.test_bounces import AUTH, SECRET, bounce, complaint
from tests.personal_links import press_the_button

ADDRESS = "amina@example.org"
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
CONSENTED_AT = timezone.now() - timedelta(days=300)
Status = Subscriber.Status
ADMIN = "/admin/snippets/newsletter/subscriber/"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def make_subscriber(status, **fields):
    subscriber = Subscriber.objects.create(
        email=ADDRESS,
        language="nl",
        status=status,
        consent_text_version="2025-01",
        consent_given_at=CONSENTED_AT,
        consent_source="/nl/nieuwsbrief/",
        status_changed_at=CONSENTED_AT,
        **fields,
    )
    if status in subscriptions.OPT_OUT_REASONS:
        subscriptions.record_opt_out(subscriber)
    return subscriber


def subscribe(client, email=ADDRESS):
    with translation.override("fr"):
        path = reverse("newsletter:subscribe")
    data = {"email": email, "language": "fr", "consent": "on", "website": ""}
    return client.post(path, data, **SAME_ORIGIN)


def record(subscriber):
    subscriber.refresh_from_db()
    return (
        subscriber.status,
        subscriber.language,
        subscriber.consent_text_version,
        subscriber.consent_given_at,
        subscriber.consent_source,
    )


def confirm_link(message):
    return re.search(r"https?://testserver(/\S+/confirm/\S+/)", message.body).group(1)


def purge_a_week_later():
    """purge_subscribers as it runs eight days from now."""
    later = timezone.now() + timedelta(days=8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        call_command("purge_subscribers", stdout=io.StringIO())


def import_old_list(client, *emails):
    rows = "".join(f"{email},en\n" for email in emails)
    return client.post(
        f"{ADMIN}import/",
        {"file": SimpleUploadedFile("old.csv", f"email,language\n{rows}".encode())},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, emailed",
    [
        (Status.UNSUBSCRIBED, True),  # they may come back
        (Status.INVITED, True),
        (Status.PENDING, True),
        (Status.BOUNCED, False),  # a form anyone can fill in sends them nothing
        (Status.COMPLAINED, False),
        (Status.CONFIRMED, False),
    ],
)
def test_a_request_changes_no_record_and_mails_only_who_may_come_back(client, status, emailed):
    subscriber = make_subscriber(status)
    before = record(subscriber)
    response = subscribe(client)
    # The same answer whatever the state.
    assert response.status_code == 303
    assert response["Location"] == "/fr/newsletter/subscribe/check-your-inbox/"
    assert record(subscriber) == before
    assert [message.to for message in mail.outbox] == ([[ADDRESS]] if emailed else [])
    assert SubscriptionRequest.objects.filter(subscriber=subscriber).exists() == emailed


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED])
def test_an_opt_out_survives_a_request_the_purge_and_the_import_of_the_old_list(
    client, editor_client, status
):
    subscriber = make_subscriber(status)
    before = record(subscriber)
    subscribe(client)
    link = confirm_link(mail.outbox[0]) if mail.outbox else None

    purge_a_week_later()
    assert record(subscriber) == before  # still opted out, not purged as "pending"
    assert not SubscriptionRequest.objects.exists()  # the unconfirmed request went
    if link:
        assert client.get(link).status_code == 400  # and its link with it

    # Even once the row is gone (deleted by staff, say), the opt-out stays.
    Subscriber.objects.filter(pk=subscriber.pk).delete()
    assert SuppressedAddress.objects.get().reason == status
    response = import_old_list(editor_client, ADDRESS.upper(), "new@example.org")
    assert "1 new contact imported" in text_of(response)
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    mail.outbox.clear()
    assert invitations.send_invitations.call() == {"sent": 1, "failed": 0}
    assert [message.to for message in mail.outbox] == [["new@example.org"]]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.BOUNCED, Status.COMPLAINED])
def test_a_bounced_or_complained_address_gets_no_email_once_its_row_is_gone(client, status):
    make_subscriber(status).delete()
    assert subscribe(client)["Location"] == "/fr/newsletter/subscribe/check-your-inbox/"
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_an_unsubscribed_person_comes_back_only_by_confirming(client):
    subscriber = make_subscriber(Status.UNSUBSCRIBED)
    subscribe(client)
    assert is_suppressed(ADDRESS)
    press_the_button(confirm_link(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.language) == (Status.CONFIRMED, "fr")
    assert subscriber.consent_given_at > CONSENTED_AT
    assert not is_suppressed(ADDRESS)


@pytest.mark.django_db
def test_an_erased_address_comes_back_only_by_confirming_after_a_purge(client):
    make_subscriber(Status.UNSUBSCRIBED).delete()
    subscribe(client)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Status.PENDING
    purge_a_week_later()  # the link was never followed
    assert not Subscriber.objects.exists()
    assert SuppressedAddress.objects.get().reason == SuppressedAddress.Reason.UNSUBSCRIBED


@pytest.mark.django_db
def test_each_way_of_opting_out_is_recorded_when_the_status_is_set(client, editor_client):
    reader = make_subscriber(Status.CONFIRMED)
    path = subscriptions.unsubscribe_url(reader).removeprefix("http://testserver")
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert SuppressedAddress.objects.get(digest=address_digest(ADDRESS)).reason == "unsubscribed"

    other = Subscriber.objects.create(email="paul@example.org", language="en", status="confirmed")
    editor_client.post(f"{ADMIN}edit/{other.pk}/", {"status": "unsubscribed"})
    assert SuppressedAddress.objects.get(digest=address_digest(other.email)).reason == (
        "unsubscribed"
    )

    with override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET}):
        webhook = "/anymail/postmark/tracking/"
        Subscriber.objects.create(email="bo@example.org", language="en", status="confirmed")
        client.post(webhook, json.dumps(bounce(email="bo@example.org")), "application/json", **AUTH)
        # A complaint is stricter than the unsubscription recorded before.
        client.post(webhook, json.dumps(complaint(email=ADDRESS)), "application/json", **AUTH)
    assert SuppressedAddress.objects.get(digest=address_digest("bo@example.org")).reason == (
        "bounced"
    )
    assert SuppressedAddress.objects.get(digest=address_digest(ADDRESS)).reason == "complained"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.BOUNCED, Status.COMPLAINED])
def test_staff_reinstate_a_bounced_or_complained_address_only_with_new_consent(
    editor_client, status
):
    subscriber = make_subscriber(status)
    url = f"{ADMIN}edit/{subscriber.pk}/"
    form = soup(editor_client.get(url))
    offered = [option["value"] for option in form.select("select[name=status] option")]
    assert offered == ["confirmed", status]
    assert form.select_one("input[name=reinstated_consent_source]")

    future = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    before_bounce = (CONSENTED_AT - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    for data in [
        {"status": "confirmed"},
        {"status": "confirmed", "reinstated_consent_source": "Phone call"},
        {
            "status": "confirmed",
            "reinstated_consent_given_at": future,
            "reinstated_consent_source": "x",
        },
        {
            "status": "confirmed",
            "reinstated_consent_given_at": before_bounce,
            "reinstated_consent_source": "Old form",
        },
    ]:
        refused = editor_client.post(url, data)
        assert refused.status_code == 200
        assert soup(refused).select(".w-field__errors, .error-message")
        assert record(subscriber)[0] == status
    assert is_suppressed(ADDRESS)

    yesterday = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    editor_client.post(
        url,
        {
            "status": "confirmed",
            "reinstated_consent_given_at": yesterday,
            "reinstated_consent_source": "Her email of yesterday asking for it again",
        },
    )
    subscriber.refresh_from_db()
    assert subscriber.status == Status.CONFIRMED
    assert subscriber.consent_source == "admin: Her email of yesterday asking for it again"
    assert subscriber.consent_given_at > CONSENTED_AT
    assert not is_suppressed(ADDRESS)


@pytest.mark.django_db
def test_staff_cannot_reinstate_an_unsubscribed_address(editor_client):
    """The person comes back through the form and its confirmation link."""
    subscriber = make_subscriber(Status.UNSUBSCRIBED)
    url = f"{ADMIN}edit/{subscriber.pk}/"
    form = soup(editor_client.get(url))
    assert [o["value"] for o in form.select("select[name=status] option")] == ["unsubscribed"]
    assert not form.select("input[name=reinstated_consent_source]")
    editor_client.post(
        url,
        {
            "status": "confirmed",
            "reinstated_consent_given_at": "2026-12-01 10:00",
            "reinstated_consent_source": "Forged",
        },
    )
    assert record(subscriber)[0] == Status.UNSUBSCRIBED
