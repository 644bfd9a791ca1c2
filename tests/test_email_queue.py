"""Emails a visitor's form sets off go through the "emails" task queue, served by a
worker of its own (issue 15, item 6): the request only writes a task row, whose
arguments are ids; the email goes out while an issue for the whole list still waits
on the "background" queue; a mail server that never answers does not slow the form,
and a confirmation it did not take gives the hour back.

The suite's settings run "emails" tasks at once (site/settings/test.py); here both
queues are in the database, as in production, and the worker is run explicitly.
"""

import json
import socket
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from events.models import Registration
from events.registration_emails import cancel_url
from newsletter import sending
from newsletter.models import Delivery, NewsletterIssuePage, Subscriber
from tests.events.factories import form_data as registration_data
from tests.events.factories import make_event, register_url
from tests.helpers import demo_page, soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queues")]
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def run_worker(backend):
    """What `scripts/worker.sh <backend>` runs, in this process, until the queue is
    empty. The worker closes its connection between tasks: not this test's, which
    holds the test's transaction (on PostgreSQL closing it would end the test)."""
    with mock.patch.object(db_worker, "close_old_connections"):
        _worker(backend).run()


def _worker(backend):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{backend}",
        excluded_queue_names=[],
    )


def tasks(backend, status="READY"):
    return DBTaskResult.objects.filter(backend_name=backend, status=status)


def subscribe(client, email="amina@example.org"):
    data = {"email": email, "language": "fr", "consent": "on", "website": ""}
    return client.post("/en/newsletter/subscribe/", data, **SAME_ORIGIN)


def test_a_confirmation_goes_out_while_a_mailing_waits_on_the_background_queue(client):
    for number in range(300):
        Subscriber.objects.create(
            email=f"reader{number}@example.org",
            language="en",
            status=Subscriber.Status.CONFIRMED,
            consent_text_version="2026-11",
            consent_given_at="2026-11-01T10:00:00Z",
        )
    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    mailing = sending.start_mailing(issue)
    sending.enqueue(mailing)  # what the commit of start_mailing does
    assert tasks("background").count() == 1

    assert subscribe(client).status_code == 303
    assert mail.outbox == []  # the request only queued it
    assert tasks("emails").count() == 1

    run_worker("emails")  # the emails worker, while nobody works on the mailing

    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    assert "confirm" in mail.outbox[0].body
    assert tasks("emails", "SUCCESSFUL").count() == 1
    # The issue still waits, unsent, for the background worker.
    assert tasks("background").count() == 1
    assert not Delivery.objects.filter(sent_at__isnull=False).exists()


def test_task_arguments_hold_ids_never_an_address(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)["en"]
    survey = demo_page("survey", "en")
    survey.to_address = "staff@example.org"
    survey.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "amina@example.org")
        client.post(register_url(event), registration_data("amina@example.org"), **SAME_ORIGIN)
        client.post(register_url(event), registration_data("binta@example.org"), **SAME_ORIGIN)
        registration = Registration.objects.get(email="amina@example.org")
        cancelled = client.post(cancel_url(registration).removeprefix("http://testserver"))
        assert cancelled.status_code == 200
        form = soup(client.get(survey.url)).select_one("main form")
        answer = {"country": "Rwanda", "advice": "Write to amina@example.org", "consent": "on"}
        client.post(form["action"], {**answer, "website": ""}, **SAME_ORIGIN)

    queued = list(DBTaskResult.objects.filter(backend_name="emails"))
    names = sorted(task.task_path.rsplit(".", 1)[1] for task in queued)
    assert names == [
        "deliver_confirmation",
        "email_registrant",  # Amina's place
        "email_registrant",  # Binta waiting
        "email_registrant",  # Binta promoted when Amina cancelled
        "notify_staff",
    ]
    for task in queued:
        arguments = json.dumps(task.args_kwargs)
        assert "@" not in arguments
        assert "Amina" not in arguments

    mail.outbox.clear()
    run_worker("emails")
    notice = next(m for m in mail.outbox if m.to == ["staff@example.org"])
    assert "Write to amina@example.org" in notice.body  # the stored answer, by its label
    promoted = [m for m in mail.outbox if m.to == ["binta@example.org"]]
    assert len(promoted) == 2
    # Amina cancelled before the worker came round: no "you are registered" for her.
    to_amina = [m for m in mail.outbox if m.to == ["amina@example.org"]]
    assert len(to_amina) == 1
    assert "/confirm/" in to_amina[0].body  # the newsletter's, not the event's


@pytest.fixture
def silent_smtp_server():
    """Accepts connections and never says a word, like a mail server that hangs."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(50)
        port = server.getsockname()[1]
        mailers = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
            }
        }
        with override_settings(MAILERS=mailers):
            yield


def test_a_mail_server_that_hangs_does_not_slow_the_forms(
    client, silent_smtp_server, django_capture_on_commit_callbacks
):
    event = make_event()["en"]
    client.get("/en/")  # the process's first page compiles templates: not what is timed
    started = time.monotonic()
    assert subscribe(client).status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), registration_data(), **SAME_ORIGIN)
    took = time.monotonic() - started
    assert response.status_code == 303
    assert took < 1, f"{took:.1f} s"  # the server's 1 s timeout never came into it

    # The registration stands; the worker meets the silent server.
    assert Registration.objects.filter(email="amina@example.org").exists()
    subscriber = Subscriber.objects.get(email="amina@example.org")
    assert subscriber.last_confirmation_sent_at is not None  # the hour is claimed
    run_worker("emails")
    assert mail.outbox == []
    # Not taken by the server: the hour is given back, so the visitor may ask again.
    subscriber.refresh_from_db()
    assert subscriber.last_confirmation_sent_at is None
    assert tasks("emails", "SUCCESSFUL").count() == 2  # handled, logged, nothing raised


def test_finished_task_rows_are_pruned(client, django_capture_on_commit_callbacks):
    subscribe(client)
    run_worker("emails")
    subscribe(client, "binta@example.org")  # still waiting: never pruned
    old = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert old.count() == 1
    call_command("prune_tasks", days=7, verbosity=0)
    assert old.count() == 1  # finished today
    old.update(finished_at="2020-01-01T00:00:00Z")
    call_command("prune_tasks", days=7, verbosity=0)
    assert not old.exists()
    assert tasks("emails").count() == 1
