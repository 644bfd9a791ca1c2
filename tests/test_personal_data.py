"""One person's data, everywhere: Settings → Personal data and `manage.py
personal_data` find, export and erase everything stored about one address, and an
erased address stays suppressed (only its hash is kept) until the person
subscribes again and confirms."""

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from discussion.models import Author, Contribution
from events import registering as registrations
from events.models import EventProposal, Registration
from events.tasks import send_reminders
from home.models import FormPage, Partner
from newsletter import invitations, sending
from newsletter.models import Delivery, Mailing, NewsletterIssuePage, Subscriber
from personal_data import records as personal_data
from privacy.models import SuppressedAddress
from privacy.suppression import address_digest, is_suppressed, suppress
from public_forms.models import PublicFormSubmission
from tests.discussion.helpers import post as post_contribution
from tests.discussion.helpers import story
from tests.events.factories import make_event
from tests.events.test_proposals import proposal
from tests.helpers import demo_page, soup, text_of
from tests.personal_links import press_the_button
from translation_workflow.roles import TRANSLATOR_GROUPS

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
URL = "/admin/personal-data/"
ADDRESS = "amina.diallo@example.org"
WAITING = "jean.waiting@example.org"
KINDS = [key for key, _label in personal_data.KINDS]


def issue():
    return NewsletterIssuePage.objects.live().filter(locale__language_code="en").first()


@pytest.fixture
def seeded(client, django_capture_on_commit_callbacks):
    """The address in every kind, most of it entered as the person would."""
    now = timezone.now()
    # A subscriber who received an issue.
    subscriber = Subscriber.objects.create(
        email=ADDRESS, language="fr", status=Subscriber.Status.CONFIRMED, confirmed_at=now
    )
    mailing = Mailing.objects.create(
        issue_key=issue().translation_key,
        issue=issue(),
        subject="Issue 1",
        send_after=now,
        status=Mailing.Status.DONE,
    )
    Delivery.objects.create(
        mailing=mailing,
        subscriber=subscriber,
        language="fr",
        status=Delivery.Status.SENT,
        sent_at=now,
    )
    # The one place of an event, with someone waiting for it.
    pages = make_event(capacity=1, waitlist=True, slug="privacy-day")
    person = {"organisation": "", "diaspora_member": True, "language": "fr"}
    outcome, _r = registrations.register(pages["fr"], name="Amina Diallo", email=ADDRESS, **person)
    assert outcome is registrations.Outcome.CONFIRMED
    outcome, _r = registrations.register(pages["en"], name="Jean", email=WAITING, **person)
    assert outcome is registrations.Outcome.WAITLISTED
    # An application to a call, in French, through the public form.
    call = demo_page("events/invest-in-a-rwanda-pilot-project", "fr")
    answers = {
        "name": "Amina Diallo",
        "email": "Amina.Diallo@Example.org",
        "message": "Je souhaite investir.",
        "consent": "on",
        "website": "",
    }
    assert client.post(call.form_action_url, answers, **SAME_ORIGIN).status_code == 200
    # A message through the contact form (an email field) and a survey answer
    # that is the address (any answer equal to it counts).
    contact = FormPage.objects.get(slug="contact", locale__language_code="en")
    message = {
        "name": "Amina",
        "email": ADDRESS,
        "message": "Hello",
        "consent": "on",
        "website": "",
    }
    assert client.post(contact.form_action_url, message, **SAME_ORIGIN).status_code == 200
    survey = FormPage.objects.get(slug="survey", locale__language_code="en")
    consent = {"consent_text": "Yes", "consent_version": "v", "consent_given_at": now}
    PublicFormSubmission.objects.create(
        page=survey,
        form_data={"country": "Rwanda", "advice": " AMINA.DIALLO@example.org"},
        **consent,
    )
    # Someone else's answer that merely mentions the address is theirs: it stays.
    PublicFormSubmission.objects.create(
        page=survey, form_data={"advice": f"Ask {ADDRESS} about it"}, **consent
    )
    # A proposed event.
    with translation.override("fr"):
        propose_url = reverse("events:propose")
    response = client.post(propose_url, proposal(email=ADDRESS.upper()), **SAME_ORIGIN)
    assert response.status_code in (200, 302, 303)
    assert EventProposal.objects.filter(email__iexact=ADDRESS).exists()
    # A contribution to a discussion (its address not confirmed yet).
    response = post_contribution(client, story("fr"), email=ADDRESS.upper())
    assert response.status_code == 303
    # An old admin log entry whose label holds the address.
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Partner),
        object_id="1",
        label=f"Reply sent to {ADDRESS}",
        action="wagtail.edit",
        timestamp=now,
    )
    mail.outbox.clear()
    return {"event": pages, "mailing": mailing, "call": call}


def post(client, action, email=ADDRESS, **extra):
    return client.post(URL, {"email": email, "action": action, **extra})


def exported(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert ADDRESS not in response["Content-Disposition"]
    return json.loads(response.content)


def assert_every_kind(data):
    assert data["email"] == ADDRESS
    for kind in KINDS:
        assert data[kind], kind
    assert data["newsletter_subscribers"][0]["subscriber"]["status"] == "confirmed"
    assert data["newsletter_deliveries"][0]["status"] == "sent"
    assert data["event_registrations"][0]["status"] == "confirmed"
    assert data["call_applications"][0]["language"] == "fr"
    assert data["call_applications"][0]["answers"]["message"] == "Je souhaite investir."
    assert {row["page_title"] for row in data["form_answers"]} == {"Contact", "Survey"} or len(
        data["form_answers"]
    ) == 2
    assert data["event_proposals"][0]["name"] == "Aline Uwase"
    assert data["discussion_authors"][0]["email"] == ADDRESS
    assert data["discussion_contributions"][0]["state"] == "unconfirmed"


@pytest.mark.django_db
def test_find_and_export_show_every_kind_in_the_admin_and_the_command(editor_client, seeded):
    page = soup(editor_client.get(URL))
    assert page.select_one("form input[name=email]")
    assert page.select_one("form input[name=csrfmiddlewaretoken]")

    found = soup(post(editor_client, "find", email=" Amina.Diallo@EXAMPLE.org "))
    for kind in KINDS:
        heading = found.select_one(f"h3[data-kind={kind}]").get_text(" ", strip=True)
        assert re.search(r"\((\d+)\)$", heading).group(1) != "0", heading
    assert len(found.select("table[data-kind=form_answers] tbody tr")) == 2
    assert "Erase everything" in found.get_text()
    assert Registration.objects.filter(email=ADDRESS).exists()  # finding erases nothing

    assert_every_kind(exported(post(editor_client, "export")))

    out = io.StringIO()
    call_command("personal_data", "export", ADDRESS.upper(), stdout=out)
    assert_every_kind(json.loads(out.getvalue()))


@pytest.mark.django_db
def test_erasing_from_the_admin_asks_then_erases_everything_but_a_hash(
    editor_client, seeded, django_capture_on_commit_callbacks
):
    confirm = post(editor_client, "erase")
    assert "Yes, erase everything" in text_of(confirm)
    assert Subscriber.objects.filter(email=ADDRESS).exists()  # asking erases nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = post(editor_client, "erase", confirm="yes")
    result = {
        item["data-kind"]: item.get_text(strip=True)
        for item in soup(response).select("ul.personal-data-erased li")
    }
    assert result["event_registrations"].endswith(": 1")
    assert result["form_answers"].endswith(": 2")
    assert result["call_applications"].endswith(": 1")
    assert result["discussion_contributions"].endswith(": 1")

    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert not Registration.objects.filter(email__iexact=ADDRESS).exists()
    assert not EventProposal.objects.filter(email__iexact=ADDRESS).exists()
    assert not Author.objects.filter(email__iexact=ADDRESS).exists()
    assert not Contribution.objects.exists()
    assert not ModelLogEntry.objects.filter(label__icontains=ADDRESS).exists()
    left = [s.form_data for s in PublicFormSubmission.objects.all()]
    assert not any(ADDRESS in json.dumps(data).lower() and "Ask" not in str(data) for data in left)
    assert {"advice": f"Ask {ADDRESS} about it"} in left
    # The delivery stays, unlinked; the draft event page stays.
    delivery = Delivery.objects.get(mailing=seeded["mailing"])
    assert delivery.subscriber_id is None and delivery.status == "sent"
    # The person waiting has the place, and was told.
    waiting = Registration.objects.get(email=WAITING)
    assert waiting.status == Registration.Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [[WAITING]]
    # Only the hash is kept, nowhere the address.
    entry = SuppressedAddress.objects.get()
    assert entry.digest == address_digest(ADDRESS) and entry.suppressed_on == timezone.localdate()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    for row in json.loads(dump.getvalue()):
        if row["fields"].get("form_data") == {"advice": f"Ask {ADDRESS} about it"}:
            continue  # someone else's answer, see above
        assert ADDRESS not in json.dumps(row).lower(), row
    assert is_suppressed(ADDRESS.upper())


@pytest.mark.django_db
def test_the_command_asks_unless_told_yes(seeded, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was erased"):
        call_command("personal_data", "erase", ADDRESS, stdout=io.StringIO())
    assert Registration.objects.filter(email=ADDRESS).exists()
    assert not SuppressedAddress.objects.exists()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personal_data", "erase", ADDRESS, "--yes", stdout=out)
    assert "Event registrations 1" in out.getvalue()
    assert not Registration.objects.filter(email=ADDRESS).exists()
    assert Registration.objects.get(email=WAITING).status == Registration.Status.CONFIRMED
    assert is_suppressed(ADDRESS)


@pytest.mark.django_db
def test_a_suppressed_address_gets_no_bulk_or_staff_mail(editor_client):
    suppress(ADDRESS)
    # An import of the old list does not bring it back.
    csv = f"email,language\n{ADDRESS.upper()},fr\nnew@example.org,en\n".encode()
    response = editor_client.post(
        "/admin/snippets/newsletter/subscriber/import/",
        {"file": SimpleUploadedFile("contacts.csv", csv)},
    )
    assert "1 new contact imported" in text_of(response)
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    # An invited contact holding it (imported before it was erased) gets nothing.
    Subscriber.objects.create(email=ADDRESS, language="fr", status=Subscriber.Status.INVITED)
    assert invitations.send_invitations.call() == {"sent": 1, "failed": 0}
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    # Nor does a subscriber holding it get an issue.
    Subscriber.objects.filter(email=ADDRESS).update(status=Subscriber.Status.CONFIRMED)
    Subscriber.objects.create(
        email="reader@example.org", language="en", status=Subscriber.Status.CONFIRMED
    )
    mail.outbox.clear()
    mailing = sending.start_mailing(issue())
    outcome = sending.run_mailing(mailing.pk)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "reader@example.org" in recipients and ADDRESS not in recipients
    assert outcome["skipped"] == 1
    # Nor a reminder about an event it registered for.
    pages = make_event(capacity=5, slug="reminded-day")
    person = {"organisation": "", "diaspora_member": False, "language": "en"}
    registrations.register(pages["en"], name="Amina", email=ADDRESS, **person)
    registrations.register(pages["en"], name="Paul", email="paul@example.org", **person)
    mail.outbox.clear()
    assert send_reminders.call(str(pages["en"].translation_key), "See you") == {
        "sent": 1,
        "failed": 0,
    }
    assert [message.to for message in mail.outbox] == [["paul@example.org"]]


@pytest.mark.django_db
def test_subscribing_again_and_confirming_lifts_the_suppression(client):
    suppress(ADDRESS)
    with translation.override("en"):
        subscribe_url = reverse("newsletter:subscribe")
    data = {"email": ADDRESS, "language": "en", "consent": "on", "website": ""}
    assert client.post(subscribe_url, data, **SAME_ORIGIN).status_code == 303
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert is_suppressed(ADDRESS)  # until the link is followed
    link = re.search(r"https?://testserver(/\S+/confirm/\S+/)", message.body).group(1)
    client.get(link)
    assert is_suppressed(ADDRESS)  # opening the link confirms nothing
    press_the_button(link)
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.CONFIRMED
    assert not is_suppressed(ADDRESS)
    assert not SuppressedAddress.objects.exists()


@pytest.mark.django_db
def test_only_users_with_the_permission_see_or_use_it(client, editor_client, django_user_model):
    assert reverse("privacy_personal_data") in editor_client.get("/admin/").text
    for name, group in [("edith", "Editors"), ("tomas", TRANSLATOR_GROUPS["fr"])]:
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        erase = post(client, "erase", confirm="yes")
        for response in [client.get(URL), erase, post(client, "export")]:
            # Wagtail's answer to PermissionDenied: back to the dashboard, with a message.
            assert response.status_code == 302 and response["Location"] == "/admin/"
        assert reverse("privacy_personal_data") not in client.get("/admin/").text
    assert not SuppressedAddress.objects.exists()  # nothing was erased
    # No group has it by default.
    assert not Group.objects.filter(permissions__codename="manage_personal_data").exists()
