"""`manage.py purge_subscribers`: unconfirmed sign-ups and unanswered invitations go."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from newsletter.models import Subscriber


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def make(email, status, **fields):
    subscriber = Subscriber.objects.create(email=email, language="en", status=status, **fields)
    if "created_at" in fields:  # auto_now_add ignores the value given
        Subscriber.objects.filter(pk=subscriber.pk).update(created_at=fields["created_at"])
    return subscriber


@pytest.fixture
def people(db):
    return {
        "old pending": make("p1@example.org", "pending", consent_given_at=days_ago(8)),
        "recent pending": make("p2@example.org", "pending", consent_given_at=days_ago(6)),
        # Signed up long ago, unsubscribed, asked again yesterday: the new request counts.
        "renewed pending": make(
            "p3@example.org", "pending", consent_given_at=days_ago(1), created_at=days_ago(400)
        ),
        "old invited": make("i1@example.org", "invited", invitation_sent_at=days_ago(31)),
        "recent invited": make("i2@example.org", "invited", invitation_sent_at=days_ago(29)),
        "never invited": make("i3@example.org", "invited", created_at=days_ago(90)),
        "confirmed": make("c@example.org", "confirmed", consent_given_at=days_ago(300)),
        "unsubscribed": make("u@example.org", "unsubscribed", consent_given_at=days_ago(300)),
        "accepted": make(
            "a@example.org",
            "confirmed",
            invitation_sent_at=days_ago(60),
            consent_given_at=days_ago(40),
        ),
    }


def run(*args):
    out = io.StringIO()
    call_command("purge_subscribers", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_old_pending_sign_ups_and_unanswered_invitations(people):
    log(people["old pending"], "wagtail.edit", title=people["old pending"].email)
    output = run()
    assert output.strip() == (
        "Deleted 1 unconfirmed sign-up(s), 0 expired subscription request(s) "
        "and 1 unanswered invitation(s)."
    )
    remaining = set(Subscriber.objects.values_list("email", flat=True))
    assert remaining == {
        "p2@example.org",
        "p3@example.org",
        "i2@example.org",
        "i3@example.org",
        "c@example.org",
        "u@example.org",
        "a@example.org",
    }
    assert not ModelLogEntry.objects.filter(label="p1@example.org").exists()
    # Nothing left to do the next day.
    assert run().startswith("Deleted 0 unconfirmed sign-up(s), 0 expired")


def test_dry_run_counts_and_deletes_nothing(people):
    output = run("--dry-run")
    assert output.strip() == (
        "Would delete 1 unconfirmed sign-up(s), 0 expired subscription request(s) "
        "and 1 unanswered invitation(s)."
    )
    assert Subscriber.objects.count() == len(people)


@override_settings(NEWSLETTER={"UNCONFIRMED_DAYS": 5, "INVITATION_DAYS": 10})
def test_the_delays_come_from_the_settings(people):
    run()
    assert not Subscriber.objects.filter(email__in=["p2@example.org", "i2@example.org"]).exists()


def test_the_help_says_to_run_it_daily():
    from newsletter.management.commands.purge_subscribers import Command

    assert "once a day" in Command.help
