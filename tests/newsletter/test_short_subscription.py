"""The home page's short subscription form: address and consent, the newsletter in
the page's language, its own consent version; countries offered once confirmed."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from home.models import CountryPage
from newsletter import subscriptions
from newsletter.gdpr import subscriber_data
from newsletter.models import Subscriber, SubscriptionRequest
from tests.helpers import demo_url, soup
from tests.newsletter.subscribing import SAME_ORIGIN, fresh_rate_limit, url  # noqa: F401
from tests.personal_links import press_the_button


def post_short(client, language, **data):
    data = {"email": "Amina@Example.org", "consent": "on", "website": "", **data}
    return client.post(url("subscribe_short", language), data, **SAME_ORIGIN)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_the_home_page_has_the_short_form_in_its_language(client, language):
    form = soup(client.get(demo_url("", language))).select_one("main form.form--subscribe-short")
    assert form["action"] == url("subscribe_short", language)
    names = {field["name"] for field in form.select("input[name]")}
    assert names == {"email", "consent", "source", "website"}  # no language, no countries
    assert not form.select("input[name=csrfmiddlewaretoken]")
    with translation.override(language):
        assert (
            form.select_one("label[for=id_subscribe_short_consent]")
            .get_text(" ", strip=True)
            .startswith(str(subscriptions.SHORT_CONSENT_TEXT)[:40])
        )


@pytest.mark.django_db
def test_subscribing_from_the_french_home_page_then_choosing_countries(client):
    response = post_short(client, "fr", source="/fr/")
    assert response.status_code == 303
    assert response["Location"] == url("check_inbox", "fr")
    request = SubscriptionRequest.objects.get()
    assert request.language == "fr"
    assert request.country_ids == []
    assert request.consent_text_version == subscriptions.SHORT_CONSENT_TEXT_VERSION
    assert request.consent_source == "/fr/"
    [message] = mail.outbox
    assert "Engagement de la diaspora" in message.subject
    link = re.search(r"https?://testserver(/\S+/confirm/\S+/)", message.body).group(1)

    browser = Client(enforce_csrf_checks=True)
    _page, answer = press_the_button(link, browser)
    assert answer.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.language == "fr"
    assert subscriber.consent_text_version == subscriptions.SHORT_CONSENT_TEXT_VERSION
    assert not subscriber.countries.exists()
    with translation.override("en"):
        exported = subscriber_data(subscriber)["consent"]
        assert exported["text"] == str(subscriptions.SHORT_CONSENT_TEXT)

    # Below the confirmation, the countries of interest, in French.
    page = soup(answer)
    assert page.select_one("html")["lang"] == "fr"
    assert "Quels pays vous intéressent" in page.select_one("main h2").get_text()
    form = page.select_one("main form.form--preferences")
    boxes = {label.get_text(strip=True): label.input["value"] for label in form.select("label")}
    assert "Territoire palestinien" in boxes
    rwanda = CountryPage.objects.get(locale__language_code="en", title="Rwanda")
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert data["language"] == "fr"
    saved = browser.post(form["action"], {**data, "countries": [boxes["Rwanda"]]})
    assert saved.status_code == 303
    assert list(subscriber.countries.all()) == [rwanda]
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"
    assert "Vos préférences sont enregistrées" in browser.get(saved["Location"]).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "data", "error"),
    [
        ("fr", {"consent": ""}, "Veuillez cocher la case pour donner votre accord"),
        ("fr", {"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide."),
        ("nl", {"consent": ""}, "Vink het vakje aan"),
    ],
)
def test_errors_in_the_visitors_language_and_nothing_stored(client, language, data, error):
    response = post_short(client, language, **data)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("html")["lang"] == language
    assert error in page.select_one("main form.form--subscribe-short").get_text(" ")
    assert not Subscriber.objects.exists()
    assert not SubscriptionRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_post_from_another_site_is_refused(client):
    response = client.post(
        url("subscribe_short"),
        {"email": "a@example.org", "consent": "on"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_get_goes_to_the_full_form(client):
    response = client.get(url("subscribe_short", "nl"))
    assert response.status_code == 302
    assert response["Location"] == url("subscribe", "nl")
