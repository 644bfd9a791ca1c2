"""The welcome email a subscriber gets right after confirming: once, in their
language, with the latest issue, their preferences and unsubscribe links and the
RFC 8058 headers; and the links to subscribe again on the pages that say so."""

import re
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from newsletter import invitations, subscriptions, welcome
from newsletter.models import NewsletterIssuePage, Subscriber, SubscriptionRequest
from tests.databases import ON_POSTGRES, in_thread
from tests.helpers import soup
from tests.newsletter.subscribing import SAME_ORIGIN, fresh_rate_limit, url  # noqa: F401
from tests.personal_links import personal_data_in, press_the_button, urls_in

ADDRESS = "amina@example.org"


def subscribe_and_get_link(client, language):
    data = {"email": ADDRESS, "language": language, "consent": "on", "website": ""}
    assert client.post(url("subscribe", "en"), data, **SAME_ORIGIN).status_code == 303
    (confirmation,) = mail.outbox
    mail.outbox.clear()
    return re.search(r"https?://testserver(/\S+/confirm/\S+/)", confirmation.body).group(1)


def welcomes():
    return [m for m in mail.outbox if m.to == [ADDRESS]]


def unsigned(url):
    """A signed personal link without its timestamp and signature."""
    return url.removeprefix("http://testserver").rsplit(":", 2)[0]


def links_in(body):
    return re.findall(r"https?://testserver(/\S+)", body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "expect", "preferences_says"),
    [
        ("fr", "Bienvenue", "Environ une fois par mois", "Choisissez les pays"),
        ("nl", "Welkom", "Ongeveer één keer per maand", "Kies de landen"),
        ("en", "Welcome", "About once a month", "Choose the countries"),
    ],
)
def test_confirming_sends_one_welcome_in_the_readers_language(
    client, language, subject, expect, preferences_says
):
    link = subscribe_and_get_link(client, language)
    _page, answer = press_the_button(link)
    assert answer.status_code == 200

    (welcome,) = welcomes()
    assert subject in welcome.subject and "\n" not in welcome.subject
    assert expect in welcome.body and preferences_says in welcome.body
    subscriber = Subscriber.objects.get(email=ADDRESS)

    # The latest issue in the reader's language, with its link.
    issue = (
        NewsletterIssuePage.objects.live()
        .filter(locale__language_code=language)
        .order_by("-issue_date", "-number")
        .first()
    )
    assert issue.title in welcome.body
    paths = links_in(welcome.body)
    assert issue.url in paths

    # Preferences and unsubscribe, personal links that work, and the RFC 8058 headers.
    preferences = subscriptions.preferences_url(subscriber).removeprefix("http://testserver")
    unsubscribe = subscriptions.unsubscribe_url(subscriber)
    # Signed at the second they were made: compared up to the timestamp.
    assert {unsigned(preferences), unsigned(unsubscribe)} <= {unsigned(path) for path in paths}
    assert preferences.startswith(f"/{language}/")
    assert welcome.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = welcome.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{unsubscribe}>") and unsubscribe.startswith("http")
    assert client.get(preferences).status_code == 200
    for link in urls_in(welcome.body + header):
        assert not personal_data_in(link, [ADDRESS, "amina"]), link

    # Pressing the button again (a double click, a reload) sends nothing more.
    mail.outbox.clear()
    Client().post(link)
    subscriptions.confirm(SubscriptionRequest(pk=0, subscriber=subscriber))
    assert welcomes() == []

    # The one-click header unsubscribes, and the answer links to subscribing again.
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        unsubscribe.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    again = soup(answer).select_one("main a.button")
    assert again["href"] == url("subscribe", language)


@pytest.mark.django_db
def test_an_issue_missing_in_the_readers_language_comes_in_english_and_says_so(client):
    latest = NewsletterIssuePage.objects.filter(locale__language_code="en").order_by("-issue_date")[
        0
    ]
    for page in latest.get_translations().live():
        page.unpublish()
    link = subscribe_and_get_link(client, "nl")
    press_the_button(link)
    (welcome,) = welcomes()
    assert latest.url in links_in(welcome.body)
    assert "nog niet beschikbaar in uw taal" in welcome.body


@pytest.mark.django_db
def test_accepting_an_invitation_sends_one_welcome(client):
    contact = Subscriber.objects.create(
        email=ADDRESS, language="nl", status=Subscriber.Status.INVITED
    )
    assert invitations.accept(contact, language="fr", countries=[])
    assert not invitations.accept(contact, language="fr", countries=[])  # a second click
    (welcome,) = welcomes()
    assert "Bienvenue" in welcome.subject


@pytest.mark.django_db
def test_no_welcome_for_someone_who_left_before_the_worker_sent_it():
    subscriber = Subscriber.objects.create(
        email=ADDRESS, language="fr", status=Subscriber.Status.CONFIRMED
    )
    subscriptions.unsubscribe(subscriber)
    assert welcome.deliver_welcome.call(subscriber.pk) is False
    assert welcome.deliver_welcome.call(subscriber.pk + 1000) is False  # erased
    assert welcomes() == []


@pytest.mark.django_db
def test_a_queue_that_fails_costs_the_welcome_never_the_confirmation(client, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("the queue's table is away")

    monkeypatch.setattr(welcome, "deliver_welcome", SimpleNamespace(enqueue=broken))
    link = subscribe_and_get_link(client, "fr")
    _page, answer = press_the_button(link)
    assert answer.status_code == 200
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.CONFIRMED
    assert welcomes() == []
    assert ADDRESS not in caplog.text and "not queued" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_pages_that_say_subscribe_again_link_to_the_form(client, language):
    subscriber = Subscriber.objects.create(
        email=ADDRESS, language=language, status=Subscriber.Status.UNSUBSCRIBED
    )
    token = subscriptions.unsubscribe_token(subscriber)
    # Already unsubscribed: the page opened from the link.
    page = soup(client.get(url("unsubscribe", language, token)))
    assert page.select_one("main a.button")["href"] == url("subscribe", language)
    # A used or expired confirmation link.
    response = client.get(url("confirm", language, "not-a-token"))
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("main a.button")["href"] == url("subscribe", language)
    # An invitation link of someone who left since.
    invitation = invitations.invitation_token(subscriber)
    response = client.get(url("accept", language, invitation))
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("main a.button")["href"] == url("subscribe", language)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=False)
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: two connections at once")
def test_two_clicks_at_once_send_one_welcome(client):
    def committed(function, *args):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(in_thread(function), *args).result()

    email = "two.clicks@example.org"

    def subscribe():
        subscriptions.subscribe(email=email, language="fr", countries=[], source="/fr/")
        return re.search(r"/confirm/(\S+)/", mail.outbox[-1].body).group(1)

    token = committed(subscribe)
    mail.outbox.clear()

    def press(_n):
        request = subscriptions.request_from_confirm_token(token)
        return request is not None and subscriptions.confirm(request)

    try:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(in_thread(press), range(2)))
        assert any(results)
        assert len([m for m in mail.outbox if m.to == [email]]) == 1
    finally:
        committed(lambda: Subscriber.objects.filter(email=email).delete())
