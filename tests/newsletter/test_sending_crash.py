"""The sending worker killed mid-send, on PostgreSQL, as separate processes.

A real worker (`manage.py db_worker --backend background`) sends an issue to 2,000
subscribers through an SMTP server in this process. The server kills the worker
with SIGKILL at fixed points, while it holds a message received but not yet
acknowledged (the one message SMTP cannot tell about), and once while the envelope
of a message, sent ahead of its mark, is at the server; the worker is started
again as an operator would (`resume_mailings`, then `db_worker`). In the end every
subscriber has the issue, with at most one duplicate per kill of the first kind and
none for the second. Then two workers
started at once share one mailing without sending any Delivery twice.

The worker runs in other processes, which cannot see an in-memory SQLite database
nor the test transaction of pytest-django, so this needs PostgreSQL: each test gets
its own database, a copy of the session's test database (migrated, demo content
loaded), dropped at the end. The suite's own test database is left as it was.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connections
from psycopg import sql

from tests.databases import (
    DATABASE_URL,
    ON_POSTGRES,
    admin_connection,
    create_database,
    drop_database,
)
from tests.newsletter.smtp_server import Inbox, free_port

pytestmark = [
    pytest.mark.postgres,
    # Only so that pytest-django sets up the session's test database, which the
    # `site` fixture copies; the tests never query it (see `site`).
    pytest.mark.django_db,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs DATABASE_URL pointing at PostgreSQL: the worker runs in separate "
        "processes, which cannot see an in-memory SQLite test database",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 2000
KILL_AT = (300, 900, 1500)  # the worker dies while the server holds message n°…
# … and once while the envelope of a message (MAIL, RCPT, DATA), sent ahead of its
# mark, is at the server: at RCPT command n°… That message must arrive only once.
KILL_AT_ENVELOPE = (1200,)
WORKER_TIMEOUT = 120  # seconds; far more than a whole send takes


class Site:
    """A copy of the demo site in its own PostgreSQL database, driven through
    `manage.py` in subprocesses."""

    def __init__(self, database_url, tmp_path):
        self.database_url = database_url
        self.tmp_path = tmp_path
        self.processes = []

    def env(self, *, smtp_port, lease_seconds, batch_size):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "diaspora_site.settings.test",
            "DATABASE_URL": self.database_url,
            "TEST_SMTP_PORT": str(smtp_port),
            "NEWSLETTER_LEASE_SECONDS": str(lease_seconds),
            "NEWSLETTER_BATCH_SIZE": str(batch_size),
            "TMPDIR": str(self.tmp_path),  # the settings' media folder goes here
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, env, *args):
        """Run a management command to its end; returns its standard output."""
        done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stderr}"
        return done.stdout

    def python(self, env, code):
        """Run Python in `manage.py shell`; returns the JSON it prints last."""
        output = self.manage(env, "shell", "--verbosity", "0", "--command", textwrap.dedent(code))
        return json.loads(output.strip().splitlines()[-1])

    def start_worker(self, env, name):
        """A task worker that runs what is queued, then exits (`--batch`)."""
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "background",
                "--batch",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        self.processes.append(process)
        return process

    def wait(self, process):
        try:
            return process.wait(timeout=WORKER_TIMEOUT)
        finally:
            process.log.close()

    def log(self, name):
        return (self.tmp_path / f"{name}.log").read_text()

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.log.close()


class Recipients(Inbox):
    """An Inbox that keeps only each message's recipients: parsing 4,000 messages
    would make this server the slowest part of the test. It says PIPELINING (as
    Inbox does), so the worker sends each envelope ahead of its mark."""

    rcpts = 0
    on_rcpt = None  # called with the running count of RCPT commands, before answering

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts += 1
        if self.on_rcpt:
            self.on_rcpt(self.rcpts, address)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), None))
            count = len(self.messages)
        if self.on_data:
            self.on_data(count)
        return "250 Message accepted"


@contextmanager
def smtp_server():
    inbox = Recipients()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def site(tmp_path):
    # Commits need not wait for the disk: the workers are killed here, never the
    # database server.
    with site_copy(tmp_path, fast_commits=True) as copy:
        yield copy


@contextmanager
def site_copy(tmp_path, *, fast_commits):
    """A fresh database holding the demo site: a copy of this test session's
    database (made by migrate and load_demo, and left as it was), which PostgreSQL
    makes in a second or two where migrate and load_demo take over a minute."""
    source = connections["default"].settings_dict["NAME"]
    name = f"crash_{uuid.uuid4().hex[:12]}"
    # PostgreSQL copies a database only while nobody is connected to it. This
    # closes the connection inside the test's transaction, which Django allows:
    # the server rolls it back, and the next test connects again.
    connections.close_all()
    url = create_database(DATABASE_URL, name, template=source)
    if fast_commits:
        with admin_connection() as admin:
            admin.execute(
                sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(
                    sql.Identifier(name)
                )
            )
    site = Site(url, tmp_path)
    try:
        yield site
    finally:
        site.stop_all()
        drop_database(DATABASE_URL, name)


START_MAILING = """
    import json
    from django.utils import timezone
    from newsletter import sending, subscriptions
    from newsletter.models import NewsletterIssuePage, Subscriber

    languages = ["en", "fr", "nl"]
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader-{{n}}@example.org",
            language=languages[n % 3],
            status=Subscriber.Status.CONFIRMED,
            consent_text_version=subscriptions.CONSENT_TEXT_VERSION,
            consent_given_at=timezone.now(),
        )
        for n in range({subscribers})
    )
    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    mailing = sending.start_mailing(issue)  # queues one task
    for _extra in range({extra_tasks}):
        sending.enqueue(mailing)
    print(json.dumps(mailing.pk))
"""

STATE = """
    import json
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult
    from newsletter.models import Delivery, Mailing

    print(json.dumps({
        "mailings": list(Mailing.objects.values_list("status", flat=True)),
        "deliveries": dict(
            Delivery.objects.order_by().values_list("status").annotate(n=Count("pk"))
        ),
        "finished_tasks": [
            {"worker_ids": task.worker_ids, "return_value": task.return_value}
            for task in DBTaskResult.objects.successful()
        ],
    }))
"""


def start_mailing(site, env, *, extra_tasks=0):
    code = START_MAILING.format(subscribers=SUBSCRIBERS, extra_tasks=extra_tasks)
    return site.python(env, code)


def received_by_address(inbox):
    return Counter(rcpt for rcpts, _message in inbox.messages for rcpt in rcpts)


def every_subscriber():
    return {f"reader-{n}@example.org" for n in range(SUBSCRIBERS)}


def test_killed_worker_is_restarted_and_every_subscriber_gets_the_issue(site):
    with smtp_server() as inbox:
        # A short lease, so that a restarted worker takes over the dead one's rows
        # after two seconds (only one worker is alive at a time here).
        env = site.env(smtp_port=inbox.port, lease_seconds=2, batch_size=100)
        start_mailing(site, env)

        to_kill = list(KILL_AT)
        current = {}
        in_flight = []  # the address of each message received when its worker died

        def kill_worker_in_flight(count):
            # Called by the server with message n° `count` received and not yet
            # acknowledged: the worker cannot know whether it arrived.
            if to_kill and count == to_kill[0]:
                to_kill.pop(0)
                in_flight.extend(inbox.messages[count - 1][0])
                current["worker"].send_signal(signal.SIGKILL)
                current["worker"].wait()

        to_kill_at_envelope = list(KILL_AT_ENVELOPE)
        envelope_only = []  # the address of each message whose envelope was cut short

        def kill_worker_at_envelope(count, address):
            if to_kill_at_envelope and count == to_kill_at_envelope[0]:
                to_kill_at_envelope.pop(0)
                envelope_only.append(address)
                current["worker"].send_signal(signal.SIGKILL)
                current["worker"].wait()

        inbox.on_data = kill_worker_in_flight
        inbox.on_rcpt = kill_worker_at_envelope
        kills = len(KILL_AT) + len(KILL_AT_ENVELOPE)
        for run in range(kills + 1):
            # What `make worker` does on start: queue again any mailing left
            # half-sent (its task is still marked running), then work.
            site.manage(env, "resume_mailings")
            current["worker"] = site.start_worker(env, f"worker-{run}")
            returncode = site.wait(current["worker"])
            if returncode != -signal.SIGKILL:
                break
        inbox.on_data = inbox.on_rcpt = None

    assert returncode == 0, site.log(f"worker-{run}")
    assert run == kills, "the worker was not killed at every point"
    assert not to_kill and not to_kill_at_envelope

    received = received_by_address(inbox)
    assert set(received) == every_subscriber()
    duplicates = {address: n for address, n in received.items() if n > 1}
    extra = sum(duplicates.values()) - len(duplicates)
    print(f"{len(inbox.messages)} messages, {extra} duplicate(s), {kills} kills")
    assert extra <= len(KILL_AT)
    # Only the messages in flight at a kill can have gone out twice; one whose
    # envelope only had gone ahead arrived once.
    assert set(duplicates) <= set(in_flight)
    assert [received[address] for address in envelope_only] == [1] * len(KILL_AT_ENVELOPE)

    state = site.python(env, STATE)
    assert state["mailings"] == ["done"]
    assert state["deliveries"] == {"sent": SUBSCRIBERS}


def test_two_workers_started_at_once_never_send_the_same_delivery(site):
    with smtp_server() as inbox:
        # Small batches, so both workers get a share; the lease outlasts a batch.
        env = site.env(smtp_port=inbox.port, lease_seconds=60, batch_size=50)
        # Two tasks for the one mailing, one for each worker.
        start_mailing(site, env, extra_tasks=1)
        workers = [site.start_worker(env, f"worker-{n}") for n in range(2)]
        returncodes = [site.wait(worker) for worker in workers]

    assert returncodes == [0, 0], site.log("worker-0") + site.log("worker-1")
    received = received_by_address(inbox)
    assert set(received) == every_subscriber()
    assert set(received.values()) == {1}  # exactly one message each

    state = site.python(env, STATE)
    assert state["mailings"] == ["done"]
    assert state["deliveries"] == {"sent": SUBSCRIBERS}
    # Both workers really sent part of the list, at the same time.
    tasks = state["finished_tasks"]
    assert len(tasks) == 2
    assert tasks[0]["worker_ids"] != tasks[1]["worker_ids"]
    sent = [task["return_value"].get("sent", 0) for task in tasks]
    assert all(sent), sent
    assert sum(sent) == SUBSCRIBERS
