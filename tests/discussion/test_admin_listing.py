"""The "Discussions" listing in the admin: what waits first, the filters and the
search, the columns, a contribution's own page, and a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussion.models import Contribution
from tests.discussion.helpers import inspect_url, listing_url, make_contribution, story
from tests.helpers import demo_page, soup

pytestmark = pytest.mark.django_db
State = Contribution.State
OTHER = "stories/women-diaspora-4dev-academy-interviews"


def rows(response):
    return soup(response).select("table.listing tbody tr")


def row_ids(response):
    checkboxes = (row.select_one("input.bulk-action-checkbox") for row in rows(response))
    return [int(checkbox["data-object-id"]) for checkbox in checkboxes]


def test_pending_come_first_then_reported_then_the_rest_newest_first(moderator_client):
    page = story("fr")
    now = timezone.now()
    old_pending = make_contribution(page, State.PENDING, created_at=now - timedelta(days=3))
    reported = make_contribution(
        page, State.APPROVED, report_count=2, created_at=now - timedelta(days=5)
    )
    approved = make_contribution(page, State.APPROVED, created_at=now - timedelta(days=1))
    rejected = make_contribution(page, State.REJECTED, created_at=now)
    new_pending = make_contribution(page, State.PENDING, created_at=now - timedelta(days=2))

    response = moderator_client.get(listing_url())
    assert row_ids(response) == [
        new_pending.pk,
        old_pending.pk,
        reported.pk,
        rejected.pk,
        approved.pk,
    ]
    # A column header still orders by its column.
    oldest_first = row_ids(moderator_client.get(listing_url(ordering="created_at")))
    assert oldest_first == [reported.pk, old_pending.pk, new_pending.pk, approved.pk, rejected.pk]


def test_columns_show_the_text_isolated_the_linked_page_and_no_address(moderator_client):
    page = story("fr")
    make_contribution(page, text="مرحبا <b>bold</b> text", email="secret@example.org")
    response = moderator_client.get(listing_url())
    [row] = rows(response)
    cells = row.select("td")
    text = " ".join(row.get_text(" ").split())
    assert row.select_one("bdi").get_text() == "مرحبا <b>bold</b> text"  # escaped, isolated
    page_link = row.select_one(f'a[href="/admin/pages/{page.pk}/edit/"]')
    assert page_link is not None and page.title in page_link.get_text()
    assert "Waiting for moderation" in text
    assert "Français" in text or "fr" in text
    assert "secret@example.org" not in response.content.decode()
    assert len(cells) >= 7  # checkbox, text, page, language, state, reports, posted on
    headers = [th.get_text(" ", strip=True) for th in soup(response).select("table.listing th")]
    for label in ("Text", "Page", "Language", "State", "Reports", "Posted on"):
        assert any(label in header for header in headers), (label, headers)


def test_no_add_button_and_no_edit_form(moderator_client):
    contribution = make_contribution(story("fr"))
    listing = soup(moderator_client.get(listing_url()))
    assert not listing.select('a[href$="/add/"]')
    edit = Contribution.snippet_viewset.get_url_name("edit")
    response = moderator_client.get(reverse(edit, args=[contribution.pk]))
    assert response.status_code == 302
    assert response["Location"] == inspect_url(contribution)
    response = moderator_client.post(reverse(edit, args=[contribution.pk]), {"text": "changed"})
    contribution.refresh_from_db()
    assert contribution.text == "Une question sur le programme."


def test_filters_by_state_page_language_and_reported(moderator_client):
    fr, other = story("fr"), demo_page(OTHER, "nl")
    pending_fr = make_contribution(fr, State.PENDING, language="fr")
    approved_en = make_contribution(story("en"), State.APPROVED, language="en", report_count=1)
    pending_nl = make_contribution(other, State.PENDING, language="nl")

    assert set(row_ids(moderator_client.get(listing_url(state="pending")))) == {
        pending_fr.pk,
        pending_nl.pk,
    }
    # Filtered on one language version: the page's contributions in every language.
    assert set(row_ids(moderator_client.get(listing_url(page=fr.pk)))) == {
        pending_fr.pk,
        approved_en.pk,
    }
    assert row_ids(moderator_client.get(listing_url(language="nl"))) == [pending_nl.pk]
    assert row_ids(moderator_client.get(listing_url(reported="true"))) == [approved_en.pk]


def test_a_page_without_contributions_lists_none_and_odd_values_are_ignored(moderator_client):
    make_contribution(story("fr"))
    quiet = demo_page(OTHER, "en")
    assert row_ids(moderator_client.get(listing_url(page=quiet.pk))) == []
    for value in ("99999999999999999999", "abc", "-1"):
        response = moderator_client.get(listing_url(page=value))
        assert response.status_code == 200
        assert len(row_ids(response)) == 1  # an unusable filter filters nothing


def test_search_finds_text_and_name(moderator_client):
    page = story("fr")
    by_text = make_contribution(page, text="Je cherche un stage à Dakar.")
    by_name = make_contribution(page, name="Kwame Mensah")
    make_contribution(page, text="Autre chose.")
    assert row_ids(moderator_client.get(listing_url(q="Dakar"))) == [by_text.pk]
    assert row_ids(moderator_client.get(listing_url(q="Mensah"))) == [by_name.pk]


def test_the_contribution_page_shows_its_thread_page_and_the_authors_address(moderator_client):
    page = story("fr")
    parent = make_contribution(page, State.APPROVED, email="parent@example.org", text="Question")
    reply = make_contribution(page, State.PENDING, parent=parent, text="Une réponse de lecteur")
    html = soup(moderator_client.get(inspect_url(parent)))
    text = " ".join(html.get_text(" ").split())
    assert "parent@example.org" in text
    assert "Une réponse de lecteur" in text
    assert html.select_one(f'a[href="{inspect_url(reply)}"]') is not None
    assert html.select_one(f'a[href="/admin/pages/{page.pk}/edit/"]') is not None
    # The buttons that apply to a published contribution.
    actions = {b["value"] for b in html.select("form input[name=action]")}
    assert actions == {"spam", "remove"}


def _count_listing_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(listing_url())
    assert response.status_code == 200
    return len(queries)


def test_the_listing_makes_as_many_queries_for_ten_times_the_rows(moderator_client):
    pages = [story("fr"), story("en"), demo_page(OTHER, "nl")]
    for n in range(3):
        make_contribution(pages[n % 3], State.PENDING if n % 2 else State.APPROVED)
    few = _count_listing_queries(moderator_client)
    for n in range(27):
        make_contribution(pages[n % 3], State.PENDING if n % 2 else State.APPROVED)
    assert Contribution.objects.count() == 30
    assert _count_listing_queries(moderator_client) == few
