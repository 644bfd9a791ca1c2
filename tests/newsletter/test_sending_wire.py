"""The worker's fast path to the mail server: each language's message prepared and
dot-quoted once, links signed with keys derived once, the envelope sent ahead while
the mark commits (PIPELINING), and the marks that do not wait for the disk on
PostgreSQL but every DURABLE_EVERY-th. What the server receives must be what
`message_for` builds, refusals must be handled as `sendmail` handles them, and the
order that bounds a worker crash to one duplicate must hold."""

import smtplib
import uuid
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection

from newsletter import marks, sending, sending_batch, subscriptions
from newsletter.issue_email import IssueEmail, render_issue, version_for
from newsletter.models import Delivery, Mailing
from newsletter.smtp_prepared import PreparedSMTP, dot_stuff, quote_address
from privacy import links
from tests.databases import ON_POSTGRES
from tests.newsletter.smtp_server import Inbox, smtp_server
from tests.newsletter.test_sending import confirmed, issue

# What aiosmtpd received, as bytes: it takes the dot quoting off as it reads.
FIXED_ID = uuid.UUID(int=7)
FIXED_DATE = "Mon, 02 Feb 2026 10:00:00 +0000"


@pytest.fixture
def raw_inbox(monkeypatch):
    """Inbox.handle_DATA, also keeping each message's bytes as received."""
    received = []
    handle_data = Inbox.handle_DATA

    async def keep_bytes(self, server, session, envelope):
        received.append(envelope.original_content)
        return await handle_data(self, server, session, envelope)

    monkeypatch.setattr(Inbox, "handle_DATA", keep_bytes)
    return received


def fixed_parts():
    """The per-message parts that are not the subscriber's (Message-ID, Date, and
    the tokens' timestamp)."""
    return (
        mock.patch("newsletter.issue_email.uuid", SimpleNamespace(uuid4=lambda: FIXED_ID)),
        mock.patch("newsletter.issue_email.formatdate", return_value=FIXED_DATE),
        mock.patch("privacy.links.time", SimpleNamespace(time=lambda: 1_790_000_000.5)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("pipelining", [True, False])
def test_the_server_receives_the_bytes_message_for_builds_dots_and_all(pipelining, raw_inbox):
    # Lines that start with a dot, in both parts: quoted once in the template.
    email = IssueEmail(
        language="fr",
        subject="Numéro 7",
        html="<p>Bonjour</p>\n.cachée <a href='https://unsubscribe.placeholder.invalid/'>x</a>\n",
        text=".début\n..deux points\nhttps://preferences.placeholder.invalid/\n",
    )
    subscriber = confirmed("lea@example.org", "fr")
    id_patch, date_patch, time_patch = fixed_parts()
    with smtp_server(pipelining=pipelining) as inbox, id_patch, date_patch, time_patch:
        expected = email.message_for(subscriber).raw
        data, size = email.smtp_data(subscriber)
        assert data == dot_stuff(expected) and size == len(expected)
        with smtplib.SMTP("127.0.0.1", inbox.port) as smtp:
            wire = PreparedSMTP(smtp, "sender@example.org")
            assert wire.pipelining is pipelining
            wire.announce(subscriber.email, size)
            wire.deliver(subscriber.email, data, size)

    assert raw_inbox == [expected]
    assert b"\r\n.cach" in expected and b"\r\n..deux" in expected
    assert inbox.messages[0][0] == ["lea@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_links_resolved_once_per_language_are_the_usual_links(language):
    email = render_issue(version_for(issue(), language), language)
    subscriber = confirmed(f"{language}@example.org", language)
    token, preferences, unsubscribe, _message_id = email._personal_parts(subscriber)

    assert unsubscribe == subscriptions.unsubscribe_url(subscriber, token=token)
    assert subscriptions.subscriber_from_unsubscribe_token(token) == subscriber
    preferences_token = preferences.rstrip("/").rsplit("/", 1)[1]
    assert preferences == subscriptions.personal_url(
        subscriber, "newsletter:preferences", preferences_token
    )
    assert subscriptions.subscriber_from_preferences_token(preferences_token) == subscriber


def test_the_link_signer_makes_djangos_tokens(settings):
    settings.SECRET_KEY = "a-key-for-this-test-" + "z" * 40
    signer = links.LinkSigner("newsletter.subscription.unsubscribe")
    for pk, email in [(1, "a@example.org"), (98765, " Zoé.Martin@Example.ORG ")]:
        with mock.patch("time.time", return_value=1_790_000_000.5):
            assert signer.token(pk, email) == links.signed_token(pk, email, signer.salt)


@pytest.mark.parametrize(
    "address",
    ["a@example.org", "o'hara+news@mail.example.ie", ".a@example.org", '"a b"@example.org'],
)
def test_addresses_are_quoted_as_smtplib_quotes_them(address):
    assert quote_address(address) == smtplib.quoteaddr(address)


@pytest.mark.django_db
@pytest.mark.parametrize("pipelining", [True, False])
def test_a_refused_address_fails_alone_and_the_connection_goes_on(settings, pipelining):
    for email in ("first@example.org", "refused@example.org", "third@example.org"):
        confirmed(email)
    mailing = sending.start_mailing(issue())

    with smtp_server(refuse={"refused@example.org"}, pipelining=pipelining) as inbox:
        settings.MAILERS = inbox.mailers
        outcome = sending.run_mailing(mailing.pk)

    assert outcome == {"sent": 2, "failed": 1}
    assert [rcpts for rcpts, _message in inbox.messages] == [
        ["first@example.org"],
        ["third@example.org"],
    ]
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {
        "first@example.org": "sent",
        "refused@example.org": "failed",
        "third@example.org": "sent",
    }


@pytest.mark.django_db
def test_a_batch_taken_over_after_its_envelope_went_ahead_stops_and_delivers_nothing_more(
    settings, monkeypatch
):
    """Another worker took the rows (this one was too slow for its lease) between the
    envelope of a message and its mark: the message must not go out, and the
    connection, inside DATA, is dropped rather than used."""
    for n in range(4):
        confirmed(f"r{n}@example.org")
    mailing = sending.start_mailing(issue())
    sending._begin(mailing.pk)
    step = marks.Marks.step
    steps = []

    def taken_over_at_the_second(self, previous, current):
        steps.append(current)
        if len(steps) == 2:
            Delivery.objects.exclude(pk=previous).update(claimed_by="another-worker")
        return step(self, previous, current)

    monkeypatch.setattr(marks.Marks, "step", taken_over_at_the_second)
    with smtp_server() as inbox:
        settings.MAILERS = inbox.mailers
        batch = sending._claim(mailing, "slow")
        # Had the connection been closed with QUIT, inside DATA, the server would
        # have waited for the rest of the message and this would time out.
        outcome = sending_batch.send_batch(batch, sending._Renderings(mailing))

    assert outcome == {"sent": 1}
    assert [rcpts for rcpts, _message in inbox.messages] == [["r0@example.org"]]
    assert len(steps) == 2
    rows = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert rows["r0@example.org"] == "sent"
    # The other worker's rows are left to it.
    assert set(Delivery.objects.exclude(status="sent").values_list("claimed_by", flat=True)) == {
        "another-worker"
    }


@pytest.mark.django_db
def test_marks_wait_for_the_disk_every_durable_every_steps_on_postgresql_only(settings):
    settings.NEWSLETTER = {**settings.NEWSLETTER, "DURABLE_EVERY": 3, "BATCH_SIZE": 4}
    for n in range(10):
        confirmed(f"r{n}@example.org")
    mailing = sending.start_mailing(issue())
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with smtp_server() as inbox:
        settings.MAILERS = inbox.mailers
        with connection.execute_wrapper(record):
            assert sending.run_mailing(mailing.pk) == {"sent": 10}

    steps = [sql for sql in statements if "EXECUTE newsletter_step_" in sql]
    others = [sql for sql in statements if sql not in steps]
    if ON_POSTGRES:
        # Batches of 4, 4 and 2; in each, every third step waits for the disk (the
        # batch's claim before it and the `sent` mark after it always do).
        waits = [not sql.startswith(marks._NO_WAIT) for sql in steps]
        assert waits == [False, False, True, False] * 2 + [False, False]
    else:
        assert steps == []  # SQLite: ordinary commits
    # Nothing else the worker runs changes how commits are made.
    assert not [sql for sql in others if "synchronous_commit" in sql]
    assert Mailing.objects.get().status == Mailing.Status.DONE


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="synchronous_commit is PostgreSQL's")
def test_the_no_wait_setting_ends_with_the_marks_own_transaction():
    """What precedes a step's EXECUTE (SET LOCAL) applies to that statement's
    implicit transaction only: the next transaction on the same connection is back
    to the server's setting. On a connection of its own, outside the test's
    transaction, as the worker's is."""
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as own:
        before = own.execute("SHOW synchronous_commit").fetchone()[0]
        cursor = own.execute(marks._NO_WAIT + "SELECT current_setting('synchronous_commit')")
        cursor.nextset()
        during = cursor.fetchone()[0]
        after = own.execute("SHOW synchronous_commit").fetchone()[0]
    assert (before, during, after) == ("on", "off", "on")
