"""A reader posts under a page, confirms the address from the email, a moderator
approves, and every language version of the page shows it."""

import pytest
from django.core import mail

from discussion.models import Author, Contribution
from tests.discussion.helpers import (
    confirm_from_email,
    contribution_data,
    post,
    published,
    story,
)
from tests.helpers import soup, text_of

pytestmark = pytest.mark.django_db
State = Contribution.State


def test_a_first_post_waits_for_the_address_then_for_a_moderator(client):
    page = story("fr")
    response = post(client, page)
    assert response.status_code == 303
    answer = text_of(client.get(response["Location"]))
    assert "suivez son lien pour confirmer votre adresse" in answer

    contribution = Contribution.objects.get()
    assert contribution.state == State.UNCONFIRMED
    # The consent as the visitor read it, word for word, with its version.
    assert contribution.consent_version == "2026-12"
    assert contribution.consent_text.startswith("J’accepte que l’OIM Belgique et Luxembourg")
    [message] = mail.outbox
    assert message.to == ["awa@example.org"]
    assert "Confirmez" in message.subject

    confirm_from_email(client, message)
    contribution.refresh_from_db()
    assert contribution.state == State.PENDING
    assert Author.objects.get().confirmed_at is not None


def test_a_confirmed_address_goes_straight_to_moderation(client):
    published(client, story("fr"))
    mail.outbox.clear()
    post(client, story("fr"), text="Une deuxième question.")
    assert Contribution.objects.latest("pk").state == State.PENDING
    assert mail.outbox == []


def test_an_approved_contribution_shows_on_every_language_version(client):
    contribution = published(client, story("fr"))
    for code in ("en", "fr", "nl"):
        html = soup(client.get(story(code).url))
        article = html.select_one(f"#contribution-{contribution.pk}")
        assert article is not None, code
        assert article["lang"] == "fr"
        assert "Comment rejoindre le programme" in article.get_text()
        assert "awa@example.org" not in str(html)
        assert html.select_one("#discussion form input[name=csrfmiddlewaretoken]") is None


def test_bad_input_is_refused_in_the_visitors_language_and_nothing_is_stored(client):
    response = post(client, story("nl"), code="nl", text="<b>hallo</b>", email="nope")
    assert response.status_code == 200
    html = soup(response)
    errors = html.select_one(".field--invalid")
    assert errors is not None
    assert Contribution.objects.count() == 0
    assert mail.outbox == []


def test_the_form_refuses_posts_from_elsewhere(client):
    response = client.post(
        f"/fr/discussion/{story('fr').pk}/post/",
        contribution_data(),
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert Contribution.objects.count() == 0
