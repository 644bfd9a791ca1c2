"""With Redis down, the site answers as usual, uncached (issue: degrade, never fail).

The cache is production's (diaspora_site.cache_backend, its timeouts) pointed at a
port nothing listens on (every call fails at once), or at a server that accepts
connections and never answers (a call waits for its timeout; the breaker makes
that once per process, not once per call). Rate limits then count per process,
so nobody can mail-bomb an address during the outage.
"""

import re
import socket
import threading
import time

import pytest
from django.core import mail
from django.test import Client, override_settings

from diaspora_site.cache_backend import redis_cache
from discussion import moderation
from discussion.models import Contribution
from events.models import Registration
from events.registration_emails import cancel_url
from newsletter import subscriptions
from newsletter.models import Subscriber
from public_forms.models import PublicFormSubmission
from security import rate_limits
from tests.discussion import helpers as discussion
from tests.events.factories import form_data as registration_data
from tests.events.factories import make_event, register_url
from tests.helpers import demo_page, demo_url
from tests.home.test_survey_results import answer_survey
from tests.personal_links import press_the_button
from tests.twofactor.helpers import code_for, enrolled

pytestmark = pytest.mark.django_db
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
ANSWER_WITHIN = 3  # seconds


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again once the probe is


def never_answering_port():
    """A server that accepts connections and reads nothing: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return server


@pytest.fixture(params=["closed", "never answering"])
def redis_down(request, monkeypatch):
    # Counts of this process start afresh, as after a restart.
    monkeypatch.setattr(rate_limits, "_local_counts", rate_limits._LocalCounts())
    hung = never_answering_port() if request.param == "never answering" else None
    port = hung.getsockname()[1] if hung else closed_port()
    caches = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    with override_settings(CACHES=caches, PAGE_CACHE_SECONDS=600):
        # A process's first page compiles templates (about 2 s whatever the cache):
        # not what is timed here.
        Client().get("/en/")
        yield
    if hung:
        hung.close()


def timed(call):
    started = time.monotonic()
    response = call()
    took = time.monotonic() - started
    assert took < ANSWER_WITHIN, f"{took:.1f} s"
    assert response.status_code < 500, response.status_code
    return response


def test_pages_render_uncached(redis_down, client):
    for path in ("/en/", demo_url("stories", "fr"), "/nl/search/?q=diaspora"):
        assert timed(lambda path=path: client.get(path)).status_code == 200


def test_subscribing_confirming_and_unsubscribing_work(redis_down, client):
    data = {"email": "amina@example.org", "language": "fr", "consent": "on", "website": ""}
    response = timed(lambda: client.post("/en/newsletter/subscribe/", data, **SAME_ORIGIN))
    assert response.status_code == 303
    subscriber = Subscriber.objects.get(email="amina@example.org")
    assert len(mail.outbox) == 1

    confirm = re.search(r"https?://testserver(/\S+/confirm/\S+/)", mail.outbox[0].body).group(1)
    timed(lambda: press_the_button(confirm)[1])
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    # The welcome email goes out too (Redis plays no part in it).
    assert [m.subject for m in mail.outbox[1:]] == [
        "Bienvenue à la lettre d’information Engagement de la diaspora"
    ]

    one_click = subscriptions.unsubscribe_url(subscriber).removeprefix("http://testserver")
    strict = Client(enforce_csrf_checks=True)
    response = timed(lambda: strict.post(one_click, {"List-Unsubscribe": "One-Click"}))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_registering_for_an_event_works(redis_down, client):
    event = make_event()["fr"]
    response = timed(lambda: client.post(register_url(event), registration_data(), **SAME_ORIGIN))
    assert response.status_code in (200, 302, 303)
    assert Registration.objects.filter(email=registration_data()["email"]).count() == 1


@pytest.mark.two_factor
def test_the_admin_login_works(redis_down, client, django_user_model):
    """Both steps: the password (axes counts in the database) and the app's code."""
    user = django_user_model.objects.create_superuser("admin-x", "a@example.org", "pw-123456")
    device = enrolled(user)
    data = {"username": "admin-x", "password": "pw-123456"}
    response = timed(lambda: client.post("/admin/login/", data))
    assert response.status_code == 302
    assert timed(lambda: client.get("/admin/"))["Location"].startswith("/admin/two-factor/")
    answer = timed(lambda: client.post("/admin/two-factor/", {"code": code_for(device)}))
    assert answer.status_code == 302
    assert timed(lambda: client.get("/admin/")).status_code == 200


def test_a_burst_for_one_address_sends_at_most_the_per_process_limit(redis_down, client, caplog):
    for number in range(15):
        data = {
            "email": f"victim+{number}@example.org",
            "language": "en",
            "consent": "on",
            "website": "",
        }
        timed(lambda data=data: client.post("/en/newsletter/subscribe/", data, **SAME_ORIGIN))
    assert len(mail.outbox) == 10  # the subscription form's limit: 10 per address
    outage = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(outage) == 1, "the outage is logged once, not per request"


def test_cancelling_a_registration_works(redis_down, client):
    event = make_event()["fr"]
    client.post(register_url(event), registration_data(), **SAME_ORIGIN)
    registration = Registration.objects.get(email=registration_data()["email"])
    cancel = cancel_url(registration).removeprefix("http://testserver")
    assert timed(lambda: client.get(cancel)).status_code == 200
    assert timed(lambda: client.post(cancel)).status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_answering_a_form_page_works(redis_down, client):
    survey = demo_page("survey", "nl")
    response = timed(lambda: answer_survey(client, survey, "nl"))
    assert response.status_code == 200
    assert PublicFormSubmission.objects.filter(page=survey).exists()


def test_posting_confirming_and_approving_a_contribution_work(redis_down, client):
    page = discussion.story("fr")
    response = timed(lambda: discussion.post(client, page))
    assert response.status_code == 303
    timed(lambda: discussion.confirm_from_email(client, mail.outbox[-1]))
    contribution = Contribution.objects.get()
    moderation.moderate([contribution], "approve", None)  # empties the page's counter
    shown = timed(lambda: client.get(page.url))
    assert shown.status_code == 200
    assert f'id="contribution-{contribution.pk}"' in shown.content.decode()


def test_one_address_posting_in_a_burst_is_held_to_the_per_process_limit(redis_down, client):
    page = discussion.story("nl")
    answers = [
        timed(lambda n=n: discussion.post(client, page, "nl", text=f"Bericht {n}")).status_code
        for n in range(8)
    ]
    assert answers.count(303) == 5  # 5 an hour per email address, counted in this process
    assert answers[5:] == [429, 429, 429]
    assert Contribution.objects.count() == 5
