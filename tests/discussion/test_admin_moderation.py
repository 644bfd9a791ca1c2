"""Moderating from the admin: bulk actions call `moderate` once for everything
selected (one emptying of the pages, one purge), authors hear what became of their
words in their language, spam tells nobody, the office answers on the page, and
nobody without the moderate permission can do or see any of it."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from discussion import moderation
from discussion.models import Contribution
from tests.discussion.helpers import (
    bulk_url,
    inspect_url,
    listing_url,
    make_contribution,
    story,
)
from tests.helpers import soup

pytestmark = pytest.mark.django_db
State = Contribution.State
MENU_ITEM = b'"name": "discussions"'


def contribution_url(name, contribution):
    return reverse(Contribution.snippet_viewset.get_url_name(name), args=[contribution.pk])


def assert_refused(response):
    """Wagtail's answer to PermissionDenied: a 403, or (for a page of the admin) a
    redirect to the dashboard with "Sorry, you do not have permission…"."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


def shown_ids(client, page):
    html = soup(client.get(page.url))
    return {int(a["id"].removeprefix("contribution-")) for a in html.select("article.contribution")}


def test_bulk_approve_empties_the_pages_once_and_tells_each_author(
    client, moderator, django_capture_on_commit_callbacks
):
    page = story("fr")
    pending = [
        make_contribution(page, email=f"author{n}@example.org", text=f"Texte {n}") for n in range(4)
    ]
    assert shown_ids(client, page) == set()  # the page is now in the cache

    client.force_login(moderator)
    confirm = client.get(bulk_url("approve", pending))
    assert confirm.status_code == 200
    with (
        mock.patch.object(
            moderation, "discussions_changed", wraps=moderation.discussions_changed
        ) as emptied,
        mock.patch("discussion.caching.schedule_translation_purge") as purged,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(bulk_url("approve", pending) + f"&next={listing_url()}")
    assert response.status_code == 302
    assert emptied.call_count == 1
    assert purged.call_count == 1
    assert Contribution.objects.filter(state=State.APPROVED).count() == 4
    assert {c.moderated_by_id for c in Contribution.objects.all()} == {moderator.pk}

    client.logout()
    assert shown_ids(client, page) == {c.pk for c in pending}
    assert sorted(m.to[0] for m in mail.outbox) == [f"author{n}@example.org" for n in range(4)]


def test_bulk_reject_tells_the_author_the_reason_in_their_language(
    moderator_client, django_capture_on_commit_callbacks
):
    page = story("fr")
    french = make_contribution(page, email="fr@example.org", language="fr")
    dutch = make_contribution(story("nl"), email="nl@example.org", language="nl")
    form = soup(moderator_client.get(bulk_url("reject", [french, dutch])))
    assert form.select_one("textarea[name=reason]") is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            bulk_url("reject", [french, dutch]), {"reason": "Hors sujet / off-topic."}
        )
    assert response.status_code == 302
    assert set(Contribution.objects.values_list("state", flat=True)) == {State.REJECTED}
    assert set(Contribution.objects.values_list("reason", flat=True)) == {"Hors sujet / off-topic."}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"fr@example.org", "nl@example.org"}
    for language, address in (("fr", "fr@example.org"), ("nl", "nl@example.org")):
        body = by_address[address].body
        assert "Hors sujet / off-topic." in body
        # The page's title and every link are the author's language version's.
        assert story(language).title in body
        links = re.findall(r"https?://\S+", body)
        assert links and all(link.startswith(f"http://testserver/{language}/") for link in links)


def test_spam_tells_nobody(moderator_client, django_capture_on_commit_callbacks):
    contributions = [make_contribution(story("fr"), email=f"s{n}@example.org") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(bulk_url("spam", contributions))
    assert set(Contribution.objects.values_list("state", flat=True)) == {State.SPAM}
    assert mail.outbox == []


def test_remove_from_the_contribution_page_takes_it_off_the_page(
    client, moderator, django_capture_on_commit_callbacks
):
    page = story("fr")
    contribution = make_contribution(page, State.APPROVED, email="r@example.org")
    assert shown_ids(client, page) == {contribution.pk}  # and the page is in the cache
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contribution_url("moderate", contribution),
            {"action": "remove", "remove-reason": "Données personnelles."},
        )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == State.REMOVED
    assert contribution.reason == "Données personnelles."
    assert [m.to for m in mail.outbox] == [["r@example.org"]]
    assert "Données personnelles." in mail.outbox[0].body
    client.logout()
    assert contribution.pk not in shown_ids(client, page)


def test_single_actions_are_posts(moderator_client):
    contribution = make_contribution(story("fr"))
    assert moderator_client.get(contribution_url("moderate", contribution)).status_code == 405
    moderator_client.post(contribution_url("moderate", contribution), {"action": "approve"})
    contribution.refresh_from_db()
    assert contribution.state == State.APPROVED


def test_the_office_answer_appears_on_the_page_marked_as_the_offices(
    client, moderator, django_capture_on_commit_callbacks
):
    page = story("fr")
    question = make_contribution(page, State.APPROVED, email="q@example.org")
    client.force_login(moderator)
    form = soup(client.get(contribution_url("answer", question)))
    assert form.select_one("textarea[name=text]") is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contribution_url("answer", question),
            {"text": "Écrivez-nous à l'adresse du bureau.", "language": "fr"},
        )
    answer = Contribution.objects.get(is_office_answer=True)
    assert response.status_code == 302
    assert response["Location"] == inspect_url(answer)
    assert answer.parent_id == question.pk and answer.state == State.APPROVED
    assert answer.staff_user_id == moderator.pk
    assert [m.to for m in mail.outbox] == [["q@example.org"]]  # the reply's email

    client.logout()
    html = soup(client.get(page.url))
    article = html.select_one(f"#contribution-{answer.pk}")
    assert "contribution--office" in article["class"]
    assert "Écrivez-nous" in article.get_text()


def test_a_pending_contribution_cannot_be_answered(moderator_client):
    pending = make_contribution(story("fr"))
    response = moderator_client.post(
        contribution_url("answer", pending), {"text": "Réponse", "language": "fr"}
    )
    assert response.status_code == 302
    assert not Contribution.objects.filter(is_office_answer=True).exists()


def test_without_the_permission_everything_is_refused_and_no_address_shown(
    translator_client, django_capture_on_commit_callbacks
):
    contribution = make_contribution(story("fr"), email="hidden@example.org")
    published = make_contribution(story("fr"), State.APPROVED, email="hidden2@example.org")
    for url in (
        listing_url(),
        inspect_url(contribution),
        bulk_url("approve", [contribution]),
        contribution_url("answer", published),
    ):
        response = translator_client.get(url)
        assert_refused(response)
        assert b"hidden@example.org" not in response.content
    for url, data in (
        (bulk_url("approve", [contribution]), {}),
        (bulk_url("reject", [contribution]), {"reason": "x"}),
        (contribution_url("moderate", contribution), {"action": "approve"}),
        (contribution_url("answer", published), {"text": "Hi", "language": "en"}),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = translator_client.post(url, data)
        assert_refused(response)
    contribution.refresh_from_db()
    assert contribution.state == State.PENDING
    assert not Contribution.objects.filter(is_office_answer=True).exists()
    assert mail.outbox == []
    # The sidebar's menu (JSON in the page) has no "Discussions" item.
    assert MENU_ITEM not in translator_client.get(reverse("wagtailadmin_home")).content


def test_moderators_have_the_menu_item(moderator_client):
    assert MENU_ITEM in moderator_client.get(reverse("wagtailadmin_home")).content


def test_a_viewer_without_the_moderate_permission_sees_no_address(client, make_user):
    viewer = make_user("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_contribution"),
    )
    client.force_login(viewer)
    contribution = make_contribution(story("fr"), email="hidden@example.org")
    response = client.get(inspect_url(contribution))
    assert response.status_code == 200
    assert b"hidden@example.org" not in response.content
    assert soup(response).select("form input[name=action]") == []
    assert_refused(client.post(bulk_url("approve", [contribution])))
    contribution.refresh_from_db()
    assert contribution.state == State.PENDING


def test_deleting_a_published_contribution_takes_it_off_the_page(client, moderator):
    page = story("fr")
    contribution = make_contribution(page, State.APPROVED)
    assert shown_ids(client, page) == {contribution.pk}
    client.force_login(moderator)
    response = client.post(contribution_url("delete", contribution))
    assert response.status_code == 302
    client.logout()
    assert shown_ids(client, page) == set()
