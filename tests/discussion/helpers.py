"""Posting, confirming and moderating a contribution as the tests' readers do."""

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from discussion import moderation
from discussion.caching import discussions_changed
from discussion.models import Author, Contribution
from discussion.posting import discussion_for
from tests.helpers import demo_page

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
STORY = "stories/mission-to-niger-and-tahoua-job-fair"


def story(code="en"):
    return demo_page(STORY, code)


def post_url(page, code):
    with translation.override(code):
        return reverse("discussion:post", args=[page.pk])


def contribution_data(**overrides):
    data = {
        "name": "Awa",
        "email": "awa@example.org",
        "text": "Merci pour ce témoignage. Comment rejoindre le programme ?",
        "language": "fr",
        "consent": "on",
        "parent": "",
        "website": "",
    }
    data.update(overrides)
    return data


def post(client, page, code="fr", **overrides):
    return client.post(post_url(page, code), contribution_data(**overrides), **SAME_ORIGIN)


def link_in(message, pattern):
    return re.search(rf"https?://\S*{pattern}\S*", message.body).group(0)


def confirm_from_email(client, message):
    """Follow the emailed link as the person does: open it, press the button."""
    path = re.sub(r"^https?://[^/]+", "", link_in(message, "/discussion/confirm/"))
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path)


def published(client, page, code="fr", moderator=None, **overrides):
    """A contribution posted, confirmed and approved; returns it."""
    mail.outbox.clear()
    post(client, page, code, **overrides)
    contribution = Contribution.objects.latest("pk")
    if contribution.state == Contribution.State.UNCONFIRMED:
        confirm_from_email(client, mail.outbox[-1])
    moderation.moderate([contribution], "approve", moderator)
    contribution.refresh_from_db()
    return contribution


def make_contribution(page, state=Contribution.State.PENDING, *, email=None, **fields):
    """A contribution stored directly under `page` (its author confirmed), for the
    admin's tests: as many as a test needs, without the reader's round trip."""
    email = email or f"reader{Contribution.objects.count()}@example.org"
    author, _created = Author.objects.get_or_create(
        email=email,
        defaults={"language": fields.get("language", "fr"), "confirmed_at": timezone.now()},
    )
    values = {"name": "Awa", "text": "Une question sur le programme.", "language": "fr"}
    values.update(fields)
    contribution = Contribution.objects.create(
        discussion=discussion_for(page), page=page, author=author, state=state, **values
    )
    discussions_changed([contribution.discussion_id])  # its counts, as moderation keeps them
    return contribution


def listing_url(**query):
    url = reverse(Contribution.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode(query)}" if query else url


def inspect_url(contribution):
    return reverse(Contribution.snippet_viewset.get_url_name("inspect"), args=[contribution.pk])


def bulk_url(action, contributions):
    ids = "&".join(f"id={c.pk}" for c in contributions)
    return reverse("wagtail_bulk_action", args=["discussion", "contribution", action]) + "?" + ids
