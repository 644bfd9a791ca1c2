"""Subscribing to the newsletter: double opt-in by email, one-click unsubscribe,
and a public form that holds its own against bots and other sites."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from home.models import CountryPage
from newsletter import subscriptions
from newsletter.models import NewsletterIssuePage, Subscriber, SubscriptionRequest
from tests.helpers import demo_url, soup, text_of
from tests.newsletter.subscribing import SAME_ORIGIN, fresh_rate_limit, url  # noqa: F401
from tests.personal_links import press_the_button


def form_data(**overrides):
    data = {"email": "Amina@Example.org", "language": "fr", "consent": "on", "website": ""}
    data.update(overrides)
    return data


def subscribe(client, page_language="en", **overrides):
    """Post the form from a page in `page_language`."""
    return client.post(url("subscribe", page_language), form_data(**overrides), **SAME_ORIGIN)


def confirm_link(message):
    return re.search(r"https?://testserver(/\S+/confirm/\S+/)", message.body).group(1)


def make_subscriber(**fields):
    defaults = {
        "email": "someone@example.org",
        "language": "nl",
        "consent_text_version": subscriptions.CONSENT_TEXT_VERSION,
        "consent_given_at": "2026-11-01T10:00:00Z",
    }
    return Subscriber.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_the_form_page_is_in_the_visitors_language_and_not_cached(client):
    response = client.get(url("subscribe", "fr"))
    page = soup(response)
    assert "no-store" in response["Cache-Control"]
    assert page.select_one("#id_subscribe_language option[selected]")["value"] == "fr"
    labels = [label.get_text(strip=True) for label in page.select("#id_subscribe_countries label")]
    assert "Territoire palestinien" in labels
    assert not page.select("input[name=csrfmiddlewaretoken]")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_newsletter_pages_show_the_form_without_a_csrf_token(client, language):
    issue = NewsletterIssuePage.objects.live().filter(locale__language_code=language).first()
    for path in [demo_url("newsletter", language), issue.url]:
        page = soup(client.get(path))
        form = page.select_one("form.form--subscribe")
        assert form["action"] == url("subscribe", language)
        assert not form.select("input[name=csrfmiddlewaretoken]")
        honeypot = form.select_one("input[name=website]")
        assert honeypot["tabindex"] == "-1" and honeypot["autocomplete"] == "off"
        assert "visually-hidden" in honeypot.parent["class"]


@pytest.mark.django_db
def test_subscribing_in_french_mails_a_french_link_that_confirms_with_a_button(client):
    rwanda = CountryPage.objects.get(locale__language_code="en", title="Rwanda")
    response = subscribe(client, "fr", countries=[rwanda.pk])
    assert response.status_code == 303
    assert response["Location"] == url("check_inbox", "fr")

    # Until the link is confirmed, the request waits beside a bare pending row.
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "amina@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_given_at is None
    assert not subscriber.countries.exists()
    assert SubscriptionRequest.objects.get(subscriber=subscriber).language == "fr"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert "Engagement de la diaspora" in message.subject
    assert "\n" not in message.subject
    assert "OIM Belgique et Luxembourg" in message.body
    link = confirm_link(message)
    assert link.startswith("/fr/newsletter/confirm/")

    # A mail scanner opening the link (twice) confirms nothing.
    for _ in range(2):
        shown = client.get(link)
        assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    page = soup(shown)
    assert page.select_one("html")["lang"] == "fr"
    assert "a•••@example.org" in page.get_text() and "amina@" not in shown.text

    _page, answer = press_the_button(link)
    assert answer.status_code == 200
    assert '<html lang="fr">' in answer.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.language == "fr"
    assert list(subscriber.countries.all()) == [rwanda]
    assert subscriber.consent_text_version == subscriptions.CONSENT_TEXT_VERSION
    assert subscriber.consent_source == url("subscribe", "fr")
    assert not SubscriptionRequest.objects.exists()

    # The link is used up: opening it again says so, and changes nothing.
    again = client.get(link)
    assert again.status_code == 400 and "a déjà été utilisé" in again.text


@pytest.mark.django_db
def test_confirming_needs_django_csrf_token(client):
    from django.test import Client

    subscribe(client)
    link = confirm_link(mail.outbox[0])
    forged = Client(enforce_csrf_checks=True).post(link)
    assert forged.status_code == 403
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.django_db
def test_subscribing_again_within_the_hour_sends_no_second_mail(client):
    first = subscribe(client)
    second = subscribe(client, email="amina@example.org")
    assert len(mail.outbox) == 1
    assert first["Location"] == second["Location"]
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
def test_a_confirmed_address_gets_the_same_answer_and_no_mail(client):
    make_subscriber(email="amina@example.org", status=Subscriber.Status.CONFIRMED, language="nl")
    response = subscribe(client, language="en")  # the form's language field
    assert response.status_code == 303
    assert response["Location"] == url("check_inbox")
    assert mail.outbox == []
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.language) == (Subscriber.Status.CONFIRMED, "nl")


@pytest.mark.django_db
def test_the_check_your_inbox_page(client):
    response = subscribe(client)
    assert "Check your inbox" in text_of(client.get(response["Location"]))


@pytest.mark.django_db
def test_the_honeypot_pretends_success_and_stores_nothing(client):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 303
    assert response["Location"] == url("check_inbox")
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {},
    ],
)
def test_a_post_from_another_site_is_refused(client, headers):
    response = client.post(url("subscribe"), form_data(), **headers)
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_sec_fetch_site_same_origin_is_enough_without_origin(client):
    response = client.post(url("subscribe"), form_data(), HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 303
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consent": ""}, "consent"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "a@b.c\r\nBcc: victim@example.org"}, "email"),
        ({"email": "a@b.c\nBcc: victim@example.org"}, "email"),
        ({"email": "a\x00@example.org"}, "email"),
        ({"email": "x" * 250 + "@example.org"}, "email"),
        ({"language": "de"}, "language"),
        ({"countries": ["999999"]}, "countries"),
    ],
)
def test_bad_input_shows_errors_and_stores_nothing(client, overrides, field):
    response = subscribe(client, "fr", **overrides)
    page = soup(response)
    assert page.select_one(f"#id_subscribe_{field}, #id_subscribe_{field}_0") is not None
    assert page.select(".field--invalid .field__errors")
    assert page.select_one("html")["lang"] == "fr"
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_missing_consent_is_explained(client):
    text = text_of(subscribe(client, consent=""))
    assert "Please tick the box to agree" in text


@pytest.mark.django_db
def test_a_huge_body_is_a_clean_400(client):
    response = subscribe(client, website="", email="a@example.org", padding="x" * 10_000_000)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_the_rate_limit_answers_429_after_ten_posts(client):
    for number in range(10):
        assert subscribe(client, email=f"p{number}@example.org").status_code == 303
    response = subscribe(client, email="p10@example.org")
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert Subscriber.objects.count() == 10
    # Other addresses are not held up.
    other = client.post(
        url("subscribe"), form_data(email="q@example.org"), REMOTE_ADDR="10.0.0.9", **SAME_ORIGIN
    )
    assert other.status_code == 303


@pytest.mark.django_db
def test_a_forged_confirm_token_changes_nothing(client):
    subscribe(client)
    link = confirm_link(mail.outbox[0])
    token = link.rstrip("/").rpartition("/")[2]
    subscriber = Subscriber.objects.get()
    for forged in [
        token[:-2] + "xx",
        "nonsense",
        "x" * 500,
        signing.dumps([subscriber.pk, subscriber.email]),
        subscriptions.unsubscribe_token(subscriber),
    ]:
        for method in (client.get, client.post):
            response = method(url("confirm", "en", forged))
            assert response.status_code == 400
            assert "This link does not work" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


@pytest.mark.django_db
def test_an_expired_confirm_link_changes_nothing(client):
    subscribe(client)
    link = confirm_link(mail.outbox[0])
    SubscriptionRequest.objects.update(link_sent_at=timezone.now() - timedelta(days=8))
    response = client.post(link)
    assert response.status_code == 400
    assert "a expiré" in response.text  # the link is in the request's language
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.django_db
def test_only_the_latest_confirm_link_works(client):
    subscribe(client)
    first = confirm_link(mail.outbox[0])
    Subscriber.objects.update(last_confirmation_sent_at=timezone.now() - timedelta(hours=2))
    subscribe(client)
    second = confirm_link(mail.outbox[1])
    assert first != second
    assert client.get(first).status_code == 400
    press_the_button(second)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_unsubscribing_before_confirming_kills_the_confirm_link(client):
    """An opt-out beats an earlier request: its emailed link stops working."""
    subscribe(client)
    link = confirm_link(mail.outbox[0])
    subscriptions.unsubscribe(Subscriber.objects.get())
    response = client.post(link)
    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
def test_unsubscribe_get_changes_nothing_and_post_unsubscribes_without_cookies(client):
    from django.test import Client

    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    link = subscriptions.unsubscribe_url(subscriber)
    assert link.startswith("http://testserver/nl/newsletter/unsubscribe/")
    path = link.removeprefix("http://testserver")

    page = soup(client.get(path))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    form = page.select_one("main form")
    assert form["method"] == "post" and form["action"] == path
    assert not form.select("input[name=csrfmiddlewaretoken]")

    # RFC 8058: the mail client posts, with no cookie, no token, no Origin.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert '<html lang="nl">' in response.text


@pytest.mark.django_db
def test_a_forged_unsubscribe_token_changes_nothing(client):
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    token = subscriptions.unsubscribe_token(subscriber)
    for forged in [token[:-2] + "xx", subscriptions.preferences_token(subscriber)]:
        response = client.post(url("unsubscribe", "en", forged))
        assert response.status_code == 400
        assert "This link does not work" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_an_unsubscribed_address_can_subscribe_again_once_it_confirms(client):
    make_subscriber(email="amina@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    subscribe(client)
    subscriber = Subscriber.objects.get()
    # Nothing changes before the link is confirmed.
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.language == "nl"
    assert len(mail.outbox) == 1
    press_the_button(confirm_link(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.language == "fr"


@pytest.mark.django_db
def test_staff_see_subscribers_in_the_admin(editor_client):
    subscriber = make_subscriber(email="listed@example.org")
    listing = editor_client.get("/admin/snippets/newsletter/subscriber/?q=listed")
    assert listing.status_code == 200
    assert "listed@example.org" in listing.text
    inspect = editor_client.get(f"/admin/snippets/newsletter/subscriber/inspect/{subscriber.pk}/")
    assert inspect.status_code == 200
    edit = editor_client.get(f"/admin/snippets/newsletter/subscriber/edit/{subscriber.pk}/")
    assert edit.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_home_page_offers_the_subscription_form(client, language):
    """The home page's short form (beside the latest issue, newsletter's home section)
    posts to the newsletter's view, in the visitor's language, without a per-visitor
    token in the page (tests/newsletter/test_short_subscription.py for the rest)."""
    from tests.helpers import soup

    page = soup(client.get(f"/{language}/"))
    form = page.select_one(".lead-issue form")
    assert form["action"] == f"/{language}/newsletter/subscribe/short/"
    assert form["method"] == "post"
    assert form.select_one('input[type="email"]')
    assert not page.select('input[name="csrfmiddlewaretoken"]')
