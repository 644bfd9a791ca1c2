"""The embedded database takes concurrent writes (issue 15): the site served the way
`make run` serves it (dev settings, SQLite in a file, Django's runserver, threaded)
answers 20 registrations for one event, 10 subscriptions, 10 form posts and 10 first
contributions to one page's discussion arriving at the same moment, every one of them,
without a 500; the event's 10 places go to 10 people and the waiting list holds the
other 10, and the contributions share one discussion.

Before SQLite ran in WAL mode with immediate transactions and a busy timeout
(site/settings/databases.py), some of these answered 500 "database is locked".
"""

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.databases import ON_POSTGRES
from tests.newsletter.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]
REGISTRATIONS = 20
SUBSCRIPTIONS = 10
FORM_POSTS = 10  # half the survey, half the contact form
CONTRIBUTIONS = 10  # the first ones under a story: its discussion row does not exist yet
PLACES = 10  # tests/embedded/prepare.py

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(ON_POSTGRES, reason="about SQLite, the embedded default"),
]


def environment(database):
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "tests.embedded.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def served_site(tmp_path):
    """(port, the addresses to post to, the database file) of the demo site, built and
    served as `make run` does; the server is stopped after the test."""
    database = tmp_path / "db.sqlite3"
    env = environment(database)
    built = subprocess.run(  # noqa: S603 (our interpreter, our script)
        [sys.executable, "tests/embedded/prepare.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    urls = json.loads(built.stdout.splitlines()[-1])
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield port, urls, database
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def post(connection, path, data, visitor):
    """POST `data` as a browser on a page of the site would, from the address
    10.9.0.`visitor`; (status, body)."""
    port = connection.port
    try:
        connection.request(
            "POST",
            path,
            body=urlencode(data, doseq=True),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{port}",
                "X-Forwarded-For": f"10.9.0.{visitor}",
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def requests_at_once(urls):
    """Every request as (path, data), in the order they are fired."""
    languages = ("en", "fr", "nl")
    requests = []
    for n in range(REGISTRATIONS):
        language = languages[n % 3]
        data = {
            "name": f"Person {n}",
            "email": f"person{n}@example.org",
            "organisation": "",
            "diaspora_member": "on",
            "consent": "on",
            "website": "",
        }
        requests.append((urls["register"][language], data))
    for n in range(SUBSCRIPTIONS):
        language = languages[n % 3]
        data = {
            "email": f"reader{n}@example.org",
            "language": language,
            "consent": "on",
            "source": f"/{language}/",
            "website": "",
        }
        requests.append((f"/{language}/newsletter/subscribe/", data))
    for n in range(FORM_POSTS):
        language = languages[n % 3]
        if n % 2:
            path = urls["survey"][language]
            data = {
                "country": "Rwanda",
                "topics": ["Entrepreneurship"],
                "advice": f"More events, says number {n}",
                "consent": "on",
                "website": "",
            }
        else:
            path = urls["contact"][language]
            data = {
                "name": f"Writer {n}",
                "email": f"writer{n}@example.org",
                "message": "Hello",
                "consent": "on",
                "website": "",
            }
        requests.append((path, data))
    for n in range(CONTRIBUTIONS):
        language = languages[n % 3]
        data = {
            "name": f"Reader {n}",
            "email": f"contributor{n}@example.org",
            "text": f"Contribution number {n}",
            "language": language,
            "consent": "on",
            "parent": "",
            "website": "",
        }
        requests.append((urls["discussion"][language], data))
    return requests


def fire_together(port, requests):
    """Send every request at the same moment, one thread each.

    The connections are opened first, one after the other, as a browser keeps its
    connection open: runserver accepts connections in one thread with a queue of
    10, which a burst of 40 new connections overflows whatever the database does
    (the kernel then resets some). What arrives together is the requests.
    """
    connections = []
    for _request in requests:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.connect()
        connections.append(connection)
    time.sleep(1)  # runserver has accepted them all, a thread each
    start = threading.Barrier(len(requests))

    def send(n):
        path, data = requests[n]
        start.wait()
        try:
            return post(connections[n], path, data, visitor=n + 1)
        except OSError as error:  # no answer at all
            return None, repr(error)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, range(len(requests))))


def rows(database, query):
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


def test_simultaneous_registrations_subscriptions_and_forms_all_get_their_answer(served_site):
    port, urls, database = served_site
    requests = requests_at_once(urls)

    answers = fire_together(port, requests)

    codes = [code for code, _body in answers]
    failed = [(requests[n][0], code, body[:300]) for n, (code, body) in enumerate(answers)]
    failed = [item for item in failed if item[1] is None or item[1] >= 500]
    assert failed == [], failed
    assert codes[:REGISTRATIONS] == [303] * REGISTRATIONS  # to the result page
    assert codes[REGISTRATIONS : REGISTRATIONS + SUBSCRIPTIONS] == [303] * SUBSCRIPTIONS
    forms_end = REGISTRATIONS + SUBSCRIPTIONS + FORM_POSTS
    assert codes[REGISTRATIONS + SUBSCRIPTIONS : forms_end] == [200] * FORM_POSTS
    assert codes[forms_end:] == [303] * CONTRIBUTIONS

    statuses = dict(
        rows(
            database,
            "SELECT status, COUNT(*) FROM events_registration "
            "WHERE email LIKE 'person%@example.org' GROUP BY status",
        )
    )
    assert statuses == {"confirmed": PLACES, "waitlisted": REGISTRATIONS - PLACES}
    (taken,) = rows(
        database, "SELECT confirmed FROM events_eventplaces WHERE title = 'Diaspora career day'"
    )
    assert taken == (PLACES,)
    subscribers = rows(
        database,
        "SELECT COUNT(*) FROM newsletter_subscriber WHERE email LIKE 'reader%@example.org'",
    )
    assert subscribers == [(SUBSCRIPTIONS,)]
    answers_stored = rows(
        database,
        "SELECT COUNT(*) FROM home_publicformsubmission "
        "WHERE form_data LIKE '%says number%' OR form_data LIKE '%writer%@example.org%'",
    )
    assert answers_stored == [(FORM_POSTS,)]
    contributions = rows(
        database,
        "SELECT COUNT(*), COUNT(DISTINCT discussion_id) FROM discussion_contribution "
        "WHERE text LIKE 'Contribution number %'",
    )
    assert contributions == [(CONTRIBUTIONS, 1)]  # one discussion for the three pages
