"""No overbooking under concurrent registrations, on PostgreSQL.

The threads must see each other's commits, which the test's own transaction
would hide; and pytest-django's transactional tests empty the database afterwards,
which would take the demo site from the tests that follow. So everything here
runs in threads with their own connections, which commit for real, and the
event made is deleted at the end; the test's own (rolled back) transaction only
reads.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from events.cancel_links import cancel_token
from events.models import EventPage, EventPlaces, Registration
from tests.databases import ON_POSTGRES, in_thread
from tests.events.factories import form_data, make_event, register_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs DATABASE_URL pointing at PostgreSQL: SQLite has no row locks, and "
        "its in-memory test database is not shared between threads",
    ),
]

ATTEMPTS = 200
THREADS = 40  # concurrent connections, well under PostgreSQL's default of 100
PLACES = 50


def committed(function, *args):
    """Call `function` in a thread of its own: what it writes is committed."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(in_thread(function), *args).result()


def delete_event(pages):
    key = pages["en"].translation_key
    EventPlaces.objects.filter(event_key=key).delete()
    for page in EventPage.objects.filter(translation_key=key).order_by("-locale_id"):
        page.delete()


@pytest.fixture
def event_made():
    """Make events for real (committed); delete them after the test."""
    made = []

    def make(**kwargs):
        pages = committed(lambda: make_event(**kwargs))
        made.append(pages)
        return pages

    yield make
    for pages in made:
        committed(delete_event, pages)


CHECK_INBOX = ("Check your inbox", "Kijk in uw mailbox", "Consultez votre boîte de réception")
FULL = ("fully booked", "complet", "volzet")


def attempt(event, n):
    language = ("en", "fr", "nl")[n % 3]
    client = Client(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250}")
    response = client.post(
        register_url(event[language]),
        form_data(email=f"person{n}@example.org"),
        HTTP_ORIGIN="http://testserver",
    )
    if response.status_code != 303:
        return response.status_code, response.content.decode()
    # Post/Redirect/Get: the answer is on the result page the POST sends to.
    return 303, client.get(response["Location"]).content.decode()


def register_all(event):
    start = threading.Barrier(THREADS)

    def run(n):
        if n < THREADS:
            start.wait()  # the first wave arrives at once
        return attempt(event, n)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(in_thread(run), range(ATTEMPTS)))


def statuses(event):
    rows = Registration.objects.filter(places__event_key=event["en"].translation_key)
    return [row.status for row in rows], [row.email for row in rows]


def test_200_concurrent_registrations_fill_50_places_and_the_waiting_list(event_made):
    event = event_made(capacity=PLACES, waitlist=True, slug="concurrent-waitlist")
    answers = register_all(event)

    assert [code for code, _body in answers] == [303] * ATTEMPTS
    found, emails = statuses(event)
    assert found.count("confirmed") == PLACES
    assert found.count("waitlisted") == ATTEMPTS - PLACES
    assert len(set(emails)) == ATTEMPTS
    assert EventPlaces.objects.get(event_key=event["en"].translation_key).confirmed == PLACES
    # Every answer is "check your inbox": the email says place or waiting list.
    assert all(any(words in body for words in CHECK_INBOX) for _code, body in answers)


def test_without_a_waiting_list_200_concurrent_attempts_give_50_places_and_150_full(event_made):
    event = event_made(capacity=PLACES, waitlist=False, slug="concurrent-full")
    answers = register_all(event)

    assert [code for code, _body in answers] == [303] * ATTEMPTS
    full = [body for _code, body in answers if any(w in body for w in FULL)]
    inbox = [body for _code, body in answers if any(w in body for w in CHECK_INBOX)]
    assert (len(inbox), len(full)) == (PLACES, ATTEMPTS - PLACES)
    found, _emails = statuses(event)
    assert found == ["confirmed"] * PLACES


def test_two_simultaneous_cancellations_promote_exactly_one_person(event_made):
    event = event_made(capacity=2, waitlist=True, slug="concurrent-cancel")
    for n in range(4):
        assert committed(attempt, event, n)[0] == 303
    first = Registration.objects.filter(places__event_key=event["en"].translation_key).first()
    url = f"/en/events/registration/{cancel_token(first)}/cancel/"
    together = threading.Barrier(2)

    def cancel(_n):
        together.wait()
        return Client().post(url).status_code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(in_thread(cancel), range(2))) == [200, 200]

    found, _emails = statuses(event)
    assert found == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    assert EventPlaces.objects.get(event_key=event["en"].translation_key).confirmed == 2
