"""The dashboard's panel for moderators, and in a discussed page's editor the
"Discussion: N waiting" link and the switch that turns the discussion off or on."""

import pytest
from django.urls import reverse

from discussion.models import Contribution, Discussion
from tests.discussion.helpers import listing_url, make_contribution, story
from tests.helpers import demo_page, soup

pytestmark = pytest.mark.django_db
State = Contribution.State


def dashboard(client):
    return soup(client.get(reverse("wagtailadmin_home")))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def switch_url(page):
    return reverse("discussion_admin:switch", args=[page.pk])


def test_the_dashboard_counts_what_waits_for_moderators(moderator_client):
    assert "wait for moderation" not in dashboard(moderator_client).get_text()  # nothing

    make_contribution(story("fr"))
    make_contribution(story("nl"), language="nl")
    make_contribution(story("en"), State.APPROVED, report_count=3)
    make_contribution(story("en"), State.APPROVED)
    html = dashboard(moderator_client)
    link = html.select_one(f'a[href="{listing_url(state="pending")}"]')
    assert " ".join(link.get_text().split()) == "2 contributions wait for moderation"
    reported = html.select_one(f'a[href="{listing_url(reported="true")}"]')
    assert "1 published contribution was reported" in reported.get_text()


def test_the_dashboard_shows_nothing_to_those_without_the_permission(translator_client):
    make_contribution(story("fr"))
    assert "wait for moderation" not in dashboard(translator_client).get_text()


def test_the_page_editor_links_to_what_waits_under_the_page(moderator_client):
    # The English source: wagtail-localize edits its translations in an editor of its
    # own, without the page header's menu.
    page = story("en")
    make_contribution(page, language="en")
    make_contribution(story("fr"))  # same discussion, other language
    make_contribution(page, State.APPROVED)
    html = soup(moderator_client.get(edit_url(page)))
    link = html.select_one(f'a[href="{listing_url(page=page.pk)}"]')
    assert " ".join(link.get_text().split()) == "Discussion: 2 waiting"
    assert html.select_one(f'a[href="{switch_url(page)}"]').get_text(strip=True) == (
        "Turn the discussion off"
    )


def test_a_page_without_discussion_has_neither_item(moderator_client):
    html = soup(moderator_client.get(edit_url(demo_page("events"))))
    assert html.select_one(f'a[href^="{listing_url()}?page="]') is None
    assert "Turn the discussion" not in html.get_text()


def test_switching_off_removes_the_form_in_every_language_then_on_again(client, moderator):
    page = story("en")
    assert client.get(page.url).status_code == 200
    assert soup(client.get(page.url)).select_one("#discussion form") is not None

    client.force_login(moderator)
    confirm = soup(client.get(switch_url(page)))
    assert confirm.select_one("form input[name=open]")["value"] == "0"
    response = client.post(switch_url(page), {"open": "0"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(page)
    assert Discussion.objects.get(translation_key=page.translation_key).is_open is False
    html = soup(client.get(edit_url(page)))
    assert html.select_one(f'a[href="{switch_url(page)}"]').get_text(strip=True) == (
        "Turn the discussion on"
    )

    client.logout()
    for code in ("en", "fr", "nl"):
        assert soup(client.get(story(code).url)).select_one("#discussion form") is None, code

    client.force_login(moderator)
    client.post(switch_url(page), {"open": "1"})
    client.logout()
    assert soup(client.get(page.url)).select_one("#discussion form") is not None


def test_only_those_who_may_edit_the_page_switch_it(client, make_user):
    page = story("en")
    client.force_login(make_user("nobody-special", "Translators (French)"))
    response = client.post(switch_url(page), {"open": "0"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    assert not Discussion.objects.filter(translation_key=page.translation_key, is_open=False)
