"""`manage.py process_mail` on a Maildir of real-world reports (tests/mailroom/samples):
hard bounces mark their subscriber bounced, soft ones change nobody, complaints mark
complained, a mailto request unsubscribes, and the rest is left for a person;
nothing else is touched, and a second run does nothing."""

import logging
import mailbox
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from mailroom import verp
from newsletter import subscriptions
from newsletter.models import Delivery, Mailing, Subscriber
from newsletter.sending_batch import VERP_KIND
from privacy.models import SuppressedAddress
from privacy.suppression import address_digest

SAMPLES = Path(__file__).resolve().parent.parent / "mailroom" / "samples"
BOUNCE_ADDRESS = "bounces@iom-belgium.example"

# sample file: (whose delivery it names, how it ends for them, the row's feedback)
EXPECTED = {
    "postfix_user_unknown.eml": ("bounced", "bounced"),
    "gmail_account_does_not_exist.eml": ("bounced", "bounced"),
    "outlook_recipient_not_found.eml": ("bounced", "bounced"),
    "exim_unknown_user.eml": ("bounced", "bounced"),
    "exchange_dsn_failure.eml": ("bounced", "bounced"),
    "unreadable_bounce.eml": ("bounced", "bounced"),
    "postfix_mailbox_full.eml": ("confirmed", "delayed"),
    "gmail_over_quota.eml": ("confirmed", "delayed"),
    "delayed_no_answer_from_host.eml": ("confirmed", "delayed"),
    "yahoo_arf_complaint.eml": ("complained", "complained"),
    # Redacted: only the unsubscribe token says who; no delivery is named.
    "aol_arf_complaint_token_only.eml": ("complained", ""),
    "mailto_unsubscribe.eml": ("unsubscribed", ""),
    "out_of_office.eml": ("confirmed", ""),
}
FOR_A_PERSON = {
    "out_of_office.eml",
    "unrelated_question.eml",
    "forged_unsubscribe.eml",
    "malformed.eml",
}
SUPPRESSED = {"bounced": "bounced", "complained": "complained", "unsubscribed": "unsubscribed"}


@pytest.fixture
def maildir(tmp_path, settings):
    path = tmp_path / "Maildir"
    mailbox.Maildir(path, create=True)
    settings.MAIL_BOUNCE_ADDRESS = BOUNCE_ADDRESS
    settings.INCOMING_MAIL = {**settings.INCOMING_MAIL, "MAILDIR": str(path)}
    return path


def fill(name, delivery):
    text = (SAMPLES / name).read_bytes()
    if delivery is None:
        return text
    subscriber = delivery.subscriber
    values = {
        b"{verp}": verp.envelope_sender(VERP_KIND, delivery.pk).encode(),
        b"{recipient}": subscriber.email.encode(),
        b"{token}": subscriptions.unsubscribe_token(subscriber).encode(),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


@pytest.fixture
def world(db, maildir):
    """A sent issue: one subscriber and delivery per sample, and two bystanders
    (one of them named by the forged report)."""
    mailing = Mailing.objects.create(
        issue_key=uuid.uuid4(), subject="#12", send_after=timezone.now(), status="done"
    )

    def delivery(email, language="fr"):
        subscriber = Subscriber.objects.create(email=email, language=language, status="confirmed")
        return Delivery.objects.create(
            mailing=mailing, subscriber=subscriber, language=language, status="sent"
        )

    deliveries = {
        name: delivery(f"reader{index}@example.com") for index, name in enumerate(EXPECTED)
    }
    bystanders = [delivery("bystander@example.com", "nl"), delivery("other@example.com", "en")]
    inbox = mailbox.Maildir(maildir, create=False)
    for name in sorted(path.name for path in SAMPLES.glob("*.eml")):
        target = deliveries.get(name) or (
            bystanders[0] if name == "forged_verp_bounce.eml" else None
        )
        inbox.add(mailbox.MaildirMessage(fill(name, target)))
    return deliveries, bystanders


def snapshot():
    return (
        list(Subscriber.objects.order_by("pk").values_list("pk", "status", "status_changed_at")),
        list(
            Delivery.objects.order_by("pk").values_list("pk", "status", "feedback", "feedback_at")
        ),
        list(SuppressedAddress.objects.order_by("pk").values_list("digest", "reason")),
    )


def run():
    out = StringIO()
    call_command("process_mail", stdout=out)
    return out.getvalue()


def folder(maildir, name):
    return mailbox.Maildir(maildir, create=False).get_folder(name)


def test_process_mail_handles_every_sample_and_touches_nothing_else(world, maildir, caplog):
    deliveries, bystanders = world
    caplog.set_level(logging.INFO)
    summary = run()

    for name, (status, feedback) in EXPECTED.items():
        delivery = Delivery.objects.select_related("subscriber").get(pk=deliveries[name].pk)
        assert (name, delivery.subscriber.status) == (name, status)
        assert (name, delivery.feedback) == (name, feedback)
        assert (delivery.feedback_at is not None) == bool(feedback)
        entry = SuppressedAddress.objects.filter(digest=address_digest(delivery.subscriber.email))
        assert list(entry.values_list("reason", flat=True)) == (
            [SUPPRESSED[status]] if status in SUPPRESSED else []
        ), name
    unsubscribed = deliveries["mailto_unsubscribe.eml"].subscriber
    unsubscribed.refresh_from_db()
    assert unsubscribed.unsubscribed_at is not None

    # The bystanders (one named in a report to a forged VERP address) are untouched.
    for delivery in bystanders:
        delivery.refresh_from_db()
        delivery.subscriber.refresh_from_db()
        assert (delivery.subscriber.status, delivery.feedback) == ("confirmed", "")
        assert not SuppressedAddress.objects.filter(
            digest=address_digest(delivery.subscriber.email)
        )

    # Everything left the inbox: handled ones seen, the rest unseen for a person.
    inbox = mailbox.Maildir(maildir, create=False)
    assert len(inbox) == 0
    person = folder(maildir, "Needs-a-person")
    processed = folder(maildir, "Processed")
    assert len(person) == len(FOR_A_PERSON)
    assert len(processed) == len(list(SAMPLES.glob("*.eml"))) - len(FOR_A_PERSON)
    assert all("S" not in message.get_flags() for message in person)
    assert all("S" in message.get_flags() for message in processed)
    subjects = {message["Subject"] for message in person}
    assert "=?UTF-8?Q?Question_sur_le_num=C3=A9ro_12?=" in subjects
    assert "Automatic reply: Diaspora Engagement #12" in subjects

    assert "bounced: 6" in summary
    assert "left for a person: 4" in summary
    assert "report without a delivery: nothing to change: 1" in summary
    # No address in the log.
    for subscriber in Subscriber.objects.all():
        assert subscriber.email not in caplog.text
    assert "@" not in caplog.text

    # A second run finds nothing and changes nothing.
    before = snapshot()
    assert run().strip() == "No message."
    assert snapshot() == before


def test_a_message_put_back_in_the_inbox_changes_nothing_again(world, maildir):
    """Handled twice (a run stopped between its commit and the filing): nothing
    changes the second time."""
    deliveries, _bystanders = world
    run()
    before = snapshot()
    inbox = mailbox.Maildir(maildir, create=False)
    for name in ("postfix_user_unknown.eml", "yahoo_arf_complaint.eml", "mailto_unsubscribe.eml"):
        inbox.add(mailbox.MaildirMessage(fill(name, deliveries[name])))
    summary = run()
    assert snapshot() == before
    assert "hard bounce: nothing to change: 1" in summary
    assert "complaint: nothing to change: 1" in summary
    assert "unsubscribe: nothing to change: 1" in summary


def test_a_soft_bounce_does_not_hide_a_later_hard_one(world, maildir):
    deliveries, _bystanders = world
    target = deliveries["postfix_mailbox_full.eml"]
    run()
    inbox = mailbox.Maildir(maildir, create=False)
    inbox.add(mailbox.MaildirMessage(fill("postfix_user_unknown.eml", target)))
    run()
    target.refresh_from_db()
    target.subscriber.refresh_from_db()
    assert (target.feedback, target.subscriber.status) == ("bounced", "bounced")
    # …and a later delay report does not soften it.
    inbox.add(mailbox.MaildirMessage(fill("postfix_mailbox_full.eml", target)))
    run()
    target.refresh_from_db()
    assert target.feedback == "bounced"


def test_a_handler_that_fails_leaves_the_message_for_a_person(world, maildir, monkeypatch):
    """A failure inside a message's handling rolls back that message alone."""
    from newsletter import incoming_mail

    deliveries, _bystanders = world
    real = incoming_mail._set_feedback
    failing = deliveries["gmail_account_does_not_exist.eml"].pk

    def set_feedback(delivery_id, feedback):
        result = real(delivery_id, feedback)
        if delivery_id == failing:
            raise RuntimeError("database went away")
        return result

    monkeypatch.setattr(incoming_mail, "_set_feedback", set_feedback)
    summary = run()
    delivery = Delivery.objects.select_related("subscriber").get(pk=failing)
    assert (delivery.feedback, delivery.subscriber.status) == ("", "confirmed")
    assert "left for a person: 5" in summary
    assert "bounced: 5" in summary
