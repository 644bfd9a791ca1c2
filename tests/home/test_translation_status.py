"""The translation status board (Reports → Translation status): what each English
page and snippet looks like in French and Dutch, and the link to act on it.

Each test makes the state it asserts (new English pages and partners, translated
with wagtail-localize here), so the demo's own translations do not matter.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from home.models import HomePage, Partner, StandardPage
from tests.helpers import soup
from translation_workflow import admin_status
from translation_workflow import status as translation_status

BOARD = "translation_status"


# --- Helpers ---------------------------------------------------------------------------


def board(client, **params):
    response = client.get(reverse(BOARD), params)
    assert response.status_code == 200, response.status_code
    return soup(response)


def rows(html):
    return html.select("tbody tr[data-translation-key]")


def row_for(html, obj):
    found = html.select(f'tbody tr[data-translation-key="{obj.translation_key}"]')
    assert len(found) == 1, f"{obj} is not on the board exactly once"
    return found[0]


def cell(html, obj, language):
    return row_for(html, obj).select_one(f'td[data-locale="{language}"]')


def status(html, obj, language):
    return cell(html, obj, language)["data-status"]


def links(html, obj, language):
    """{label: href} of the action links in a cell."""
    return {a.get_text(strip=True): a["href"] for a in cell(html, obj, language).select("a")}


def english_page(title, **fields):
    home = HomePage.objects.get(locale__language_code="en")
    page = StandardPage(title=title, introduction=f"About {title}.", **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def translate(obj, locale, *, all_strings=True):
    """Translate `obj` into `locale` with wagtail-localize, every string translated
    (or none: the translation then shows English text)."""
    source, _ = TranslationSource.get_or_create_from_instance(obj)
    translation = Translation.objects.create(source=source, target_locale=locale)
    if all_strings:
        translate_strings(source, locale)
    translation.save_target(publish=True)
    return translation


def translate_strings(source, locale):
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                # A slug must stay a slug.
                "data": text if segment.context.path == "slug" else f"[{locale}] {text}",
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )


def republish(page, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


@pytest.fixture
def everything_on_one_page(monkeypatch):
    monkeypatch.setattr(admin_status, "PER_PAGE", 1000)


# --- Statuses ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_english_page_and_translatable_snippet_has_one_row(
    editor_client, locales, everything_on_one_page
):
    html = board(editor_client)
    expected = Page.objects.filter(locale=locales["en"], depth__gt=1).count() + sum(
        model.objects.filter(locale=locales["en"]).count()
        for model in translation_status.translatable_snippet_models()
    )
    assert len(rows(html)) == expected
    models = {m.__name__ for m in translation_status.translatable_snippet_models()}
    assert models == {"Partner", "MainMenu", "Footer", "Person"}
    # One column per other language, named in the admin's language.
    assert [th.get_text(strip=True) for th in html.select("thead th")][2:] == [
        "French",
        "Dutch",
    ]


@pytest.mark.django_db
def test_a_new_english_page_is_missing_with_a_translate_link(editor_client, everything_on_one_page):
    page = english_page("Board test page")
    html = board(editor_client)

    assert status(html, page, "fr") == "missing"
    assert status(html, page, "nl") == "missing"
    submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert links(html, page, "fr") == {"Translate": f"{submit}?select_locale=fr"}
    assert links(html, page, "nl") == {"Translate": f"{submit}?select_locale=nl"}
    title = row_for(html, page).select_one("td.title a")
    assert title.get_text(strip=True) == "Board test page"
    assert title["href"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert "Standard page" in row_for(html, page).get_text()


@pytest.mark.django_db
def test_an_alias_is_missing(editor_client, locales, everything_on_one_page):
    page = english_page("Board alias page")
    alias = page.copy_for_translation(locales["nl"], alias=True)
    assert alias.alias_of_id == page.pk

    html = board(editor_client)
    assert status(html, page, "nl") == "missing"
    assert "Alias of the English page" in cell(html, page, "nl").get_text()
    submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert links(html, page, "nl") == {"Translate": f"{submit}?select_locale=nl"}


@pytest.mark.django_db
def test_a_page_goes_from_in_progress_to_up_to_date_to_out_of_date(
    editor_client, locales, everything_on_one_page
):
    page = english_page("Board lifecycle page")
    translation = translate(page, locales["fr"], all_strings=False)
    french = page.get_translation(locales["fr"])
    edit_french = reverse("wagtailadmin_pages:edit", args=[french.pk])

    # Translated, but no string is: the French page shows English text.
    html = board(editor_client)
    assert status(html, page, "fr") == "in_progress"
    assert "0 of" in cell(html, page, "fr").get_text()
    assert links(html, page, "fr") == {"Edit translation": edit_french}
    assert status(html, page, "nl") == "missing"

    translate_strings(translation.source, locales["fr"])
    translation.save_target(publish=True)
    html = board(editor_client)
    assert status(html, page, "fr") == "up_to_date"
    assert links(html, page, "fr") == {"Edit translation": edit_french}

    # The English text changes and is published: French is out of date, Dutch
    # still missing.
    republish(page, introduction="A new English introduction.")
    html = board(editor_client)
    assert status(html, page, "fr") == "out_of_date"
    assert status(html, page, "nl") == "missing"
    update = reverse("wagtail_localize:update_translations", args=[translation.source_id])
    fr_links = links(html, page, "fr")
    assert fr_links["Update"].startswith(f"{update}?next=")
    assert fr_links["Edit translation"] == edit_french

    # Synced: the new string is not translated yet.
    translation.source.update_from_db()
    translation.save_target(publish=True)
    html = board(editor_client)
    assert status(html, page, "fr") == "in_progress"
    done, total = map(
        int, re.search(r"(\d+) of (\d+) strings", cell(html, page, "fr").text).groups()
    )
    assert 0 < done < total


@pytest.mark.django_db
def test_drafts_and_republishing_without_changes_keep_a_translation_up_to_date(
    editor_client, locales, everything_on_one_page
):
    page = english_page("Board draft page")
    translate(page, locales["fr"])
    assert status(board(editor_client), page, "fr") == "up_to_date"

    republish(page)  # published again, nothing changed
    draft = StandardPage.objects.get(pk=page.pk)
    draft.introduction = "Not published yet."
    draft.save_revision()  # a draft is not what a sync would send

    assert status(board(editor_client), page, "fr") == "up_to_date"


@pytest.mark.django_db
def test_a_sync_not_yet_published_is_in_progress(editor_client, locales, everything_on_one_page):
    """A synced change with no string to translate (a synchronised field) that has
    not been saved into the French page yet."""
    page = english_page("Board sync page")
    translation = translate(page, locales["fr"])
    republish(page, show_in_menus=True)
    assert status(board(editor_client), page, "fr") == "out_of_date"

    translation.source.update_from_db()  # "Sync" without publishing the translations
    html = board(editor_client)
    assert status(html, page, "fr") == "in_progress"
    assert "not yet saved" in cell(html, page, "fr").get_text()


@pytest.mark.django_db
def test_a_translation_no_longer_synced_is_judged_by_dates(
    editor_client, locales, everything_on_one_page
):
    page = english_page("Board manual page")
    translation = translate(page, locales["fr"])
    Translation.objects.filter(pk=translation.pk).update(enabled=False)  # "Stop synced translation"

    html = board(editor_client)
    assert status(html, page, "fr") == "up_to_date"
    assert "Not synced" in cell(html, page, "fr").get_text()

    republish(page, introduction="Changed after the translator took over.")
    html = board(editor_client)
    assert status(html, page, "fr") == "out_of_date"
    french = page.get_translation(locales["fr"])
    # No sync for a translation that is not synced: edit it by hand.
    assert links(html, page, "fr") == {
        "Edit translation": reverse("wagtailadmin_pages:edit", args=[french.pk])
    }


@pytest.mark.django_db
def test_snippet_statuses_and_links(editor_client, locales, everything_on_one_page):
    partner = Partner.objects.create(name="Board Partner", description="A partner")
    html = board(editor_client)
    submit = reverse(
        "wagtail_localize:submit_snippet_translation", args=["home", "partner", partner.pk]
    )
    assert status(html, partner, "fr") == "missing"
    assert links(html, partner, "nl") == {"Translate": f"{submit}?select_locale=nl"}
    assert row_for(html, partner).select_one("td.title a")["href"] == reverse(
        "wagtailsnippets_home_partner:edit", args=[partner.pk]
    )

    translation = translate(partner, locales["fr"])
    french = partner.get_translation(locales["fr"])
    html = board(editor_client)
    assert status(html, partner, "fr") == "up_to_date"
    assert status(html, partner, "nl") == "missing"
    assert links(html, partner, "fr") == {
        "Edit translation": reverse("wagtailsnippets_home_partner:edit", args=[french.pk])
    }

    partner.description = "A partner in development"
    partner.save()
    html = board(editor_client)
    assert status(html, partner, "fr") == "out_of_date"
    update = reverse("wagtail_localize:update_translations", args=[translation.source_id])
    assert links(html, partner, "fr")["Update"].startswith(update)


@pytest.mark.django_db
def test_the_status_function_can_be_used_on_its_own(locales):
    partner = Partner.objects.create(name="Board function partner")
    translate(partner, locales["nl"])

    rows = translation_status.translation_status_rows(
        kind=translation_status.KIND_SNIPPET, locales=[locales["nl"]]
    )
    assert {row.kind for row in rows} == {"snippet"}
    (row,) = [row for row in rows if row.instance.pk == partner.pk]
    assert [(cell.locale.language_code, cell.status) for cell in row.cells] == [
        ("nl", "up_to_date")
    ]
    assert row.title == "Board function partner"
    assert row.type_label == "partner"


# --- Filters and pagination ---------------------------------------------------------------


@pytest.mark.django_db
def test_filters_by_status_language_and_kind(editor_client, locales, everything_on_one_page):
    missing = english_page("Board missing page")
    stale = english_page("Board stale page")
    translate(stale, locales["fr"])
    translate(stale, locales["nl"])
    republish(stale, introduction="Changed.")
    partner = Partner.objects.create(name="Board filter partner")

    html = board(editor_client, status="out_of_date")
    assert row_for(html, stale)
    assert not html.select(f'tr[data-translation-key="{missing.translation_key}"]')
    assert all(
        any(td["data-status"] == "out_of_date" for td in row.select("td[data-locale]"))
        for row in rows(html)
    )

    html = board(editor_client, status="missing", locale="nl")
    assert {td["data-locale"] for td in html.select("td[data-locale]")} == {"nl"}
    assert all(td["data-status"] == "missing" for td in html.select("td[data-locale]"))
    assert row_for(html, missing) and row_for(html, partner)
    assert not html.select(f'tr[data-translation-key="{stale.translation_key}"]')

    html = board(editor_client, kind="snippets")
    assert {row["data-kind"] for row in rows(html)} == {"snippet"}
    assert row_for(html, partner)

    html = board(editor_client, kind="pages", status="missing", locale="fr")
    assert {row["data-kind"] for row in rows(html)} == {"page"}
    assert row_for(html, missing)
    # The form shows the filters in force.
    assert html.select_one('select[name="kind"] option[selected]')["value"] == "pages"
    assert html.select_one('select[name="locale"] option[selected]')["value"] == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"status": "<script>alert(1)</script>"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        {"locale": "xx", "kind": "everything"},
        {"locale": "en"},  # the source language is not a column
    ],
)
def test_bad_filter_values_fall_back_instead_of_failing(editor_client, params):
    response = editor_client.get(reverse(BOARD), params)
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content
    html = soup(response)
    assert rows(html)
    assert len(html.select("thead th")) == 4  # title, type, French, Dutch


@pytest.mark.django_db
def test_long_boards_are_paginated(editor_client):
    first = board(editor_client)
    second = board(editor_client, page=2)
    first_keys = {row["data-translation-key"] for row in rows(first)}
    second_keys = {row["data-translation-key"] for row in rows(second)}
    assert len(first_keys) == admin_status.PER_PAGE
    assert second_keys and not first_keys & second_keys
    assert "Page 2 of" in second.select_one("nav.pagination").get_text()
    # Page links keep the filters.
    filtered = board(editor_client, kind="pages")
    assert filtered.select_one('nav.pagination a[href*="page=2"]')["href"] == "?kind=pages&page=2"


# --- Who sees what ------------------------------------------------------------------------


@pytest.fixture
def admin_only_user(django_user_model):
    user = django_user_model.objects.create_user("viewer", "viewer@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.django_db
def test_anyone_with_admin_access_sees_the_board_but_no_action_they_cannot_take(
    client, admin_only_user, everything_on_one_page
):
    page = english_page("Board visible page")
    client.force_login(admin_only_user)

    assert reverse(BOARD) in client.get(reverse("wagtailadmin_home")).content.decode()
    html = board(client)
    assert status(html, page, "fr") == "missing"
    assert html.select("tbody a") == []  # no edit, translate or update link


@pytest.mark.django_db
def test_the_board_needs_admin_access(client, django_user_model):
    assert client.get(reverse(BOARD)).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("nobody", "n@example.org", "pw"))
    assert client.get(reverse(BOARD)).status_code in (302, 403)


@pytest.mark.django_db
def test_page_links_follow_page_permissions(
    client, admin_only_user, locales, everything_on_one_page
):
    """A user who may edit the French tree only gets "Edit translation" there."""
    page = english_page("Board permissions page")
    translate(page, locales["fr"])
    translate(page, locales["nl"])
    group = Group.objects.create(name="Board French editors")
    GroupPagePermission.objects.create(
        group=group,
        page=HomePage.objects.get(locale=locales["fr"]),
        permission=Permission.objects.get(codename="change_page"),
    )
    admin_only_user.groups.add(group)
    client.force_login(admin_only_user)

    html = board(client)
    french = page.get_translation(locales["fr"])
    assert links(html, page, "fr") == {
        "Edit translation": reverse("wagtailadmin_pages:edit", args=[french.pk])
    }
    assert links(html, page, "nl") == {}
    assert row_for(html, page).select_one("td.title a") is None  # English not editable


@pytest.mark.django_db
def test_a_french_translator_gets_no_link_into_other_languages(
    client, admin_only_user, locales, everything_on_one_page
):
    """Snippet permissions are per model; translator roles limit them to a language."""
    from translation_workflow.roles import TRANSLATOR_GROUPS

    partner = Partner.objects.create(name="Board translator partner")
    translate(partner, locales["fr"])
    translate(partner, locales["nl"])
    group, _ = Group.objects.get_or_create(name=TRANSLATOR_GROUPS["fr"])
    group.permissions.add(Permission.objects.get(codename="change_partner"))
    admin_only_user.groups.add(group)
    client.force_login(admin_only_user)

    html = board(client)
    french = partner.get_translation(locales["fr"])
    assert links(html, partner, "fr") == {
        "Edit translation": reverse("wagtailsnippets_home_partner:edit", args=[french.pk])
    }
    assert links(html, partner, "nl") == {}
    assert row_for(html, partner).select_one("td.title a") is None


# --- Cost ---------------------------------------------------------------------------------


#: Measured: 37 for the whole admin page on the demo (about 8 of them the admin's
#: own: session, user, menus). The fixed part grows by one per page type and two
#: per translatable snippet model, never per object.
MAX_QUERIES = 45


def count_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        board(client, **params)
    return len(queries)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_content(
    editor_client, locales, django_assert_max_num_queries
):
    board(editor_client)  # warm Django's content-type cache
    before = count_queries(editor_client)
    with django_assert_max_num_queries(MAX_QUERIES):
        board(editor_client)

    pages = [english_page(f"Board bulk page {n}") for n in range(20)]
    for page in pages[:5]:
        translate(page, locales["fr"])
    for page in pages[5:8]:
        translate(page, locales["nl"], all_strings=False)
    republish(pages[0], introduction="Changed.")
    for n in range(5):
        Partner.objects.create(name=f"Board bulk partner {n}")

    after = count_queries(editor_client)
    assert after == before
    with django_assert_max_num_queries(MAX_QUERIES):
        board(editor_client)
    with django_assert_max_num_queries(MAX_QUERIES):
        board(editor_client, status="missing", page=2)
