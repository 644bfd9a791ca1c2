"""The preferences page reached from every newsletter email: change language and
countries, or leave; never a way back in for someone who left."""

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from home.models import CountryPage
from newsletter import subscriptions
from newsletter.models import Subscriber
from privacy import links
from tests.helpers import soup, text_of


def soup_of(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def make_subscriber(**fields):
    defaults = {
        "email": "amina@example.org",
        "language": "fr",
        "status": Subscriber.Status.CONFIRMED,
        "consent_text_version": subscriptions.CONSENT_TEXT_VERSION,
        "consent_given_at": "2026-11-01T10:00:00Z",
    }
    return Subscriber.objects.create(**{**defaults, **fields})


def preferences_path(subscriber):
    return subscriptions.preferences_url(subscriber).removeprefix("http://testserver")


def country(title):
    return CountryPage.objects.get(locale__language_code="en", title=title)


@pytest.mark.django_db
def test_the_link_opens_the_page_in_the_subscribers_language_with_their_choices(client):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    path = preferences_path(subscriber)
    assert path.startswith("/fr/newsletter/preferences/")

    response = client.get(path)
    page = soup(response)
    assert page.select_one("html")["lang"] == "fr"
    assert "no-store" in response["Cache-Control"]
    # The address masked: the link may be forwarded, or the screen seen by others.
    assert "a•••@example.org" in page.get_text()
    assert "amina@" not in page.get_text()
    language = page.select_one("#id_preferences_language option[selected]")
    assert language["value"] == "fr"
    ticked = page.select("#id_preferences_countries input[checked]")
    assert [box["value"] for box in ticked] == [str(country("Rwanda").pk)]
    # Country names in French, as the subscription form shows them.
    labels = [
        label.get_text(strip=True) for label in page.select("#id_preferences_countries label")
    ]
    assert "Territoire palestinien" in labels
    assert page.select_one("form.form--preferences input[name=csrfmiddlewaretoken]")


@pytest.mark.django_db
def test_a_dutch_link_opened_under_another_prefix_still_speaks_dutch(client):
    subscriber = make_subscriber(language="nl")
    token = subscriptions.preferences_token(subscriber)
    with translation.override("en"):
        path = reverse("newsletter:preferences", args=[token])
    page = soup(client.get(path))
    assert page.select_one("html")["lang"] == "nl"


@pytest.mark.django_db
def test_get_changes_nothing(client):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    client.get(preferences_path(subscriber))
    client.head(preferences_path(subscriber))
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"
    assert list(subscriber.countries.all()) == [country("Rwanda")]
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_saving_stores_the_choices_and_confirms_in_the_new_language(client):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    niger, morocco = country("Niger"), country("Morocco")

    response = client.post(
        preferences_path(subscriber), {"language": "nl", "countries": [niger.pk, morocco.pk]}
    )
    assert response.status_code == 303
    assert response["Location"].startswith("/nl/newsletter/preferences/")

    subscriber.refresh_from_db()
    assert subscriber.language == "nl"
    assert set(subscriber.countries.all()) == {niger, morocco}
    assert subscriber.status == Subscriber.Status.CONFIRMED

    answer = client.get(response["Location"])
    page = soup(answer)
    assert page.select_one("html")["lang"] == "nl"
    assert page.select_one(".confirmation[role=status]")
    assert page.select_one("#id_preferences_language option[selected]")["value"] == "nl"
    assert "Uw voorkeuren zijn opgeslagen." in page.select_one(".confirmation").get_text()
    assert "Uitschrijven" in page.get_text()
    # The subscriber's later emails use the new language too.
    assert subscriptions.unsubscribe_url(subscriber).startswith("http://testserver/nl/")


@pytest.mark.django_db
def test_removing_every_country_is_allowed(client):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    response = client.post(preferences_path(subscriber), {"language": "fr"})
    assert response.status_code == 303
    assert not subscriber.countries.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"language": "de"},
        {"language": ""},
        {"language": "fr", "countries": ["999999"]},
        {"language": "fr", "countries": ["not-a-number"]},
    ],
)
def test_bad_input_is_explained_in_the_subscribers_language_and_stores_nothing(client, data):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    response = client.post(preferences_path(subscriber), data)
    page = soup(response)
    assert page.select_one("html")["lang"] == "fr"
    assert page.select(".field--invalid .field__errors")
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"
    assert list(subscriber.countries.all()) == [country("Rwanda")]


@pytest.mark.django_db
def test_the_page_offers_a_button_that_unsubscribes(client):
    subscriber = make_subscriber()
    page = soup(client.get(preferences_path(subscriber)))
    leave = page.select_one(".form--leave form")
    assert leave["method"] == "post"
    assert leave["action"].startswith("/fr/newsletter/unsubscribe/")
    token = leave["action"].removeprefix("/fr/newsletter/unsubscribe/").rstrip("/")
    assert subscriptions.subscriber_from_unsubscribe_token(token) == subscriber
    assert leave.select_one("button").get_text(strip=True) == "Se désinscrire"

    response = client.post(leave["action"])
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, says",
    [
        (Subscriber.Status.UNSUBSCRIBED, "is unsubscribed"),
        (Subscriber.Status.BOUNCED, "could not be delivered"),
        (Subscriber.Status.COMPLAINED, "marked as spam"),
        (Subscriber.Status.INVITED, "is not subscribed"),
    ],
)
def test_someone_not_subscribed_is_told_so_and_how_to_come_back(client, status, says):
    subscriber = make_subscriber(language="en", status=status)
    page = soup(client.get(preferences_path(subscriber)))
    assert says in page.get_text()
    assert not page.select("form.form--preferences")
    link = page.select_one("main a.button")
    if status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
        # The form would send them nothing: they write to us instead.
        assert link is None and "write to us" in page.get_text()
    else:
        assert link["href"] == "/en/newsletter/subscribe/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, Subscriber.Status.INVITED],
)
def test_posting_does_not_resubscribe_or_change_anything(client, status):
    subscriber = make_subscriber(status=status)
    response = client.post(
        preferences_path(subscriber), {"language": "nl", "countries": [country("Niger").pk]}
    )
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == status
    assert subscriber.language == "fr"
    assert not subscriber.countries.exists()


@pytest.mark.django_db
def test_someone_who_left_meanwhile_is_not_resubscribed(client, monkeypatch):
    """The person unsubscribes in another tab between loading and saving the page."""
    subscriber = make_subscriber()
    path = preferences_path(subscriber)
    from newsletter import views

    real = views.PreferencesForm.is_valid

    def unsubscribe_then_validate(form):
        subscriptions.unsubscribe(Subscriber.objects.get(pk=subscriber.pk))
        return real(form)

    monkeypatch.setattr(views.PreferencesForm, "is_valid", unsubscribe_then_validate)
    response = client.post(path, {"language": "nl"})
    assert response.status_code == 400
    assert '<html lang="fr">' in response.text
    assert not soup_of(response).select("form.form--preferences")
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.language) == (Subscriber.Status.UNSUBSCRIBED, "fr")


@pytest.mark.django_db
def test_a_forged_or_foreign_token_is_a_clear_400(client):
    subscriber = make_subscriber()
    token = subscriptions.preferences_token(subscriber)
    forged = [
        token[:-2] + "xx",
        "nonsense",
        subscriptions.unsubscribe_token(subscriber),
        # Made for the same id but another address (erased, the id used again).
        links.signed_token(subscriber.pk, "other@example.org", subscriptions.PREFERENCES_SALT),
        signing.dumps([subscriber.pk, subscriber.email]),
    ]
    for bad in forged:
        with translation.override("fr"):
            path = reverse("newsletter:preferences", args=[bad])
        for response in [client.get(path), client.post(path, {"language": "nl"})]:
            assert response.status_code == 400
            assert '<html lang="fr">' in response.text
            assert "Ce lien vers vos préférences est invalide" in response.text
            assert "amina@example.org" not in response.text
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"


@pytest.mark.django_db
def test_a_link_to_an_erased_address_no_longer_works(client):
    subscriber = make_subscriber()
    path = preferences_path(subscriber)
    subscriber.delete()
    make_subscriber(email="someone-else@example.org")
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_the_english_page_reads_in_english(client):
    subscriber = make_subscriber(language="en")
    text = text_of(client.get(preferences_path(subscriber)))
    assert "Newsletter preferences" in text
    assert "Save my preferences" in text
    assert "Unsubscribe" in text
