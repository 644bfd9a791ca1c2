"""Nothing untranslated is presented as translated (docs/translation.md).

Submitting an English page for translation changes nothing a French visitor sees
until a translator publishes a complete translation; whatever path publishes a
translation that still holds English, the page says so.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from home.models import FallbackRevision
from tests.helpers import soup, text_of
from tests.translation_publishing import (
    committed,
    new_english_story,
    page_in,
    presentation,
    sitemap_urls,
    submit,
    translate_strings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(locales):
    return new_english_story()


def assert_shown_as_untranslated(client, page, english):
    seen = presentation(client, page)
    assert seen["notice"], "the notice says the page is not translated"
    assert seen["content_lang"] == "en"
    assert seen["canonical"].endswith(english.url)
    assert "fr" not in seen["hreflang"]
    assert not any(url.endswith(page.url) for url in sitemap_urls(client))


def test_a_new_english_story_is_an_alias_in_french(client, story):
    french = page_in(story, "fr")
    assert french.alias_of_id == story.pk
    assert_shown_as_untranslated(client, french, story)


def test_submitting_for_translation_changes_nothing_a_french_visitor_sees(client, story):
    submit(story, "fr")
    french = page_in(story, "fr")
    assert french.alias_of_id == story.pk, "stays an alias until its translation is published"
    assert_shown_as_untranslated(client, french, story)
    found = text_of(client.get("/fr/search/", {"q": "beekeepers"}))
    assert "The beekeepers of Kigali" not in found


def test_the_editor_refuses_to_publish_half_a_translation_and_names_what_is_missing(
    editor_client, client, story
):
    source = submit(story, "fr")
    left = translate_strings(source, "fr", share=0.5)
    assert left > 0
    french = page_in(story, "fr")
    url = f"/admin/pages/{french.pk}/edit/"
    editor = editor_client.get(url)
    assert editor.status_code == 200
    assert "wagtail-localize" in editor.content.decode() or "translation" in editor.content.decode()

    response = editor_client.post(url, {"action": "publish"}, follow=True)
    message = " ".join(m.message for m in response.context["messages"])
    assert "Not published" in message and f"{left} segment" in message
    assert page_in(story, "fr").alias_of_id == story.pk
    assert_shown_as_untranslated(client, french, story)


def test_a_complete_translation_published_in_the_editor_is_french(editor_client, client, story):
    source = submit(story, "fr")
    translate_strings(source, "fr")
    french = page_in(story, "fr")
    with committed():
        editor_client.post(f"/admin/pages/{french.pk}/edit/", {"action": "publish"})
    french = page_in(story, "fr")
    assert french.alias_of_id is None and french.live
    seen = presentation(client, french)
    assert not seen["notice"] and seen["content_lang"] is None and seen["html_lang"] == "fr"
    assert seen["updated_notice"] is None
    assert seen["canonical"].endswith(french.url)
    assert "fr" in seen["hreflang"]
    assert "FR: The beekeepers of Kigali" in seen["text"]
    assert any(url.endswith(french.url) for url in sitemap_urls(client))


@pytest.fixture
def published_then_changed(client, story):
    """A story translated into French and published, whose English then changed and
    was synced into the French translation (as "Sync translated pages" does)."""
    source = submit(story, "fr")
    translate_strings(source, "fr")
    with committed():
        source.translations.get(target_locale__language_code="fr").save_target(publish=True)
    story.introduction = "Four beekeepers now tell how the cooperative started."
    story.save_revision().publish()
    source.update_from_db()
    translation = source.translations.get(target_locale__language_code="fr")
    with committed():
        translation.save_target(publish=True)  # "publish immediately"
    return page_in(story, "fr")


def test_a_sync_with_publish_keeps_the_last_complete_translation_live(
    client, story, published_then_changed
):
    french = published_then_changed
    seen = presentation(client, french)
    assert not seen["notice"]
    assert "FR: Three beekeepers" in seen["text"]
    assert "Four beekeepers" not in seen["text"]
    updated = seen["updated_notice"]
    assert updated is not None and updated.a["href"] == story.url
    assert french.has_unpublished_changes
    assert FallbackRevision.objects.filter(revision=french.latest_revision).exists()


@pytest.mark.parametrize("path", ["revision", "bulk", "scheduled", "workflow"])
def test_publishing_the_draft_another_way_shows_the_page_as_untranslated(
    client, editor_client, django_user_model, story, published_then_changed, path
):
    french = published_then_changed
    revision = french.latest_revision
    if path == "revision":
        revision.publish()
    elif path == "bulk":
        response = editor_client.post(
            f"/admin/bulk/wagtailcore/page/publish/?id={french.pk}", {"include_descendants": ""}
        )
        assert response.status_code in (200, 302)
    elif path == "scheduled":
        revision.approved_go_live_at = timezone.now() - timezone.timedelta(minutes=1)
        revision.save()
        call_command("publish_scheduled", verbosity=0)
    else:
        from wagtail.models import Workflow

        admin = django_user_model.objects.get(username="editor")
        workflow = Workflow.objects.get(name="Moderators approval")
        state = workflow.start(french, admin)
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, admin, "approve")
    french = Page.objects.get(pk=french.pk).specific
    assert french.live_revision_id == revision.pk, path
    seen = presentation(client, french)
    assert seen["notice"] and seen["content_lang"] == "en", path
    assert seen["canonical"].endswith(story.url)
    assert not any(url.endswith(french.url) for url in sitemap_urls(client))


# --- Snippets, which have no draft state ----------------------------------------------


def test_a_snippet_being_translated_shows_its_english_until_the_translation_is_complete(
    locales,
):
    from home.i18n import localized
    from home.models import Partner

    partner = Partner.objects.create(
        name="Hive Cooperative", description="partner in beekeeping", locale=locales["en"]
    )
    source = submit(partner, "fr")
    french = Partner.objects.get(translation_key=partner.translation_key, locale=locales["fr"])
    assert french.has_untranslated_text
    shown = localized(Partner.objects.filter(pk=partner.pk), locales["fr"].pk).get()
    assert shown.pk == partner.pk, "the English partner, not an English text passed as French"

    translate_strings(source, "fr")
    with committed():
        source.translations.get(target_locale=locales["fr"]).save_target(publish=True)
    french.refresh_from_db()
    assert not french.has_untranslated_text and french.description.startswith("FR: ")
    shown = localized(Partner.objects.filter(pk=partner.pk), locales["fr"].pk).get()
    assert shown.pk == french.pk


def test_a_new_footer_translation_shows_the_english_footer_marked_as_english(client, locales):
    from home.models import Footer

    english = Footer.objects.get(locale=locales["en"])
    Footer.objects.filter(locale=locales["fr"]).delete()
    submit(english, "fr")
    footer = soup(client.get("/fr/")).select_one(".site-footer__about")
    assert footer.get("lang") == "en"
    assert english.organisation_name in footer.get_text()


def test_a_synced_footer_keeps_its_last_complete_translation(client, locales):
    from home.models import Footer

    english = Footer.objects.get(locale=locales["en"])
    french_before = Footer.objects.get(locale=locales["fr"]).organisation_name
    source = submit(english, "fr")  # the demo's translation, complete
    english.organisation_name = "A new English name"
    english.save()
    source.update_from_db()
    with committed():
        source.translations.get(target_locale=locales["fr"]).save_target(publish=True)
    french = Footer.objects.get(locale=locales["fr"])
    assert french.organisation_name == french_before and not french.has_untranslated_text
    footer = soup(client.get("/fr/")).select_one(".site-footer__about")
    assert footer.get("lang") is None and french_before in footer.get_text()
