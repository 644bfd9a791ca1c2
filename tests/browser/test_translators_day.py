"""A translator's whole day, in a real browser: from a new English story to a
published French and Dutch page, with nothing in English passed off as French.

An editor writes and publishes a story; the French and Dutch pages say they are not
translated yet. The editor submits it for French: nothing changes for French readers.
The French translator (admin in French) opens it from the status board, translates
half, is refused publication, translates the rest and publishes: only then is the
French page French. The Dutch translator (admin in Dutch) starts the Dutch
translation from the status board and does the same. Neither can touch the other's
language. The demo site, editor and translators come from server.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.admin_walk import PASSWORD, username
from tests.browser.test_journeys import header_action, log_in, open_in_admin

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "Written in a real browser"
#: What each translator's admin says, in their language.
ADMIN = {
    "fr": {
        "translate": "Traduire",
        "save": "Enregistrer",
        "publish": "Publier en français",
        "refused": "Non publié",
        "edit": "Modifier la traduction",
        "start": "Traduire",
        "submit": "Soumettre",
    },
    "nl": {
        "translate": "Vertaal",
        "save": "Opslaan",
        "publish": "Publiceren in het Nederlands",
        "refused": "Niet gepubliceerd",
        "edit": "Vertaling bewerken",
        "start": "Vertalen",
        "submit": "Verzenden",
    },
}


def write_and_publish_story(page):
    log_in(page)
    open_in_admin(page, "success stories", "Success stories")
    page.goto(page.url.replace("/edit/", "/add_subpage/"))  # one child type: the form opens
    page.get_by_placeholder("Page title*").fill(TITLE)
    page.locator("#id_introduction").fill("An editor wrote this story in Chromium.")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator("[contenteditable=true][role=textbox]").first.click()
    page.keyboard.type("Every word of this story was typed in the page editor.")
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("was typed"))
    page.locator("footer").get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/edit/")
    edit_url = page.url
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("has been published").wait_for()
    return edit_url


def version_url(page, english_url, language):
    page.goto(english_url)
    return page.locator(f"nav.language-switcher a[hreflang='{language}']").get_attribute("href")


def assert_untranslated(page, url, english_url):
    page.goto(url)
    expect(page.locator(".notice--untranslated")).to_be_visible()
    assert page.locator(".site-main__content").get_attribute("lang") == "en"
    assert page.locator("link[rel=canonical]").get_attribute("href").endswith(english_url)


def assert_translated(page, url, language, title):
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".notice--untranslated").count() == 0
    assert page.locator(".site-main__content").get_attribute("lang") is None
    assert page.locator("link[rel=canonical]").get_attribute("href").endswith(url)
    assert page.locator("h1").inner_text().startswith(title)


def hreflangs(page, english_url):
    page.goto(english_url)
    return {
        link.get_attribute("hreflang")
        for link in page.locator("link[rel=alternate][hreflang]").all()
    }


def in_sitemap(page, url):
    return url in page.request.get("/sitemap.xml").text()


def log_in_as_translator(page, language):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username(language))
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    assert page.locator("html").get_attribute("lang") == language


def status_row(page, language, status):
    """The story's row on the status board, filtered to `language` and `status`."""
    page.goto(f"/admin/reports/translation-status/?kind=pages&locale={language}&status={status}")
    return page.locator("tr").filter(has_text=TITLE)


def translate_segments(page, words, limit=None):
    """Translate the segments still waiting in the translation editor, tab by tab
    (at most `limit`), each with its English text prefixed."""
    editor = page.locator(".js-translation-editor")
    tabs = editor.get_by_role("tab")
    done = 0
    for index in range(max(tabs.count(), 1)):
        if tabs.count():
            tabs.nth(index).click()
        while limit is None or done < limit:
            buttons = editor.get_by_role("button", name=words["translate"], exact=True)
            if buttons.count() == 0:
                break
            buttons.first.click()
            box = editor.locator("textarea").first
            english = box.input_value()
            prefix = words["translate"].upper()
            if re.fullmatch(r"[a-z0-9-]+", english):  # the slug
                box.fill(f"{prefix.lower()}-{english}")
            else:
                box.fill(f"{prefix} {english}")
            editor.get_by_role("button", name=words["save"], exact=True).first.click()
            expect(editor.locator("textarea")).to_have_count(0)
            done += 1
    return done


def publish(page, words):
    page.get_by_role("button", name=words["publish"]).click()
    page.wait_for_load_state()


def test_a_translators_day_from_a_new_english_story_to_french_and_dutch(page):
    english_edit_url = write_and_publish_story(page)
    english_url = "/en/stories/written-in-a-real-browser/"
    french_url = version_url(page, english_url, "fr")
    dutch_url = version_url(page, english_url, "nl")
    for url in (french_url, dutch_url):
        assert_untranslated(page, url, english_url)

    # The editor submits it for French: French readers see no change.
    page.goto(english_edit_url)
    header_action(page, "Translate this page")
    page.get_by_label("French").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/edit/")
    assert_untranslated(page, french_url, english_url)
    assert "fr" not in hreflangs(page, english_url)
    assert not in_sitemap(page, french_url)
    page.goto("/fr/search/?q=Written+real+browser")
    assert TITLE not in page.locator("main").inner_text()

    edit_urls, french_board_links_for_dutch = {}, None
    for language in ("fr", "nl"):
        words = ADMIN[language]
        log_in_as_translator(page, language)
        if language == "fr":
            status_row(page, "fr", "in_progress").get_by_role("link", name=words["edit"]).click()
        else:  # not submitted yet: the Dutch translator starts it
            status_row(page, "nl", "missing").get_by_role("link", name=words["start"]).click()
            page.get_by_role("button", name=words["submit"]).click()
            page.wait_for_url("**/edit/")
        editor = page.locator(".js-translation-editor")
        expect(editor.locator("li").first).to_be_visible()
        edit_url = page.url
        assert translate_segments(page, words, limit=2) == 2
        publish(page, words)
        expect(page.get_by_text(words["refused"])).to_be_visible()
        assert_untranslated(page, french_url if language == "fr" else dutch_url, english_url)

        page.goto(edit_url)
        expect(page.locator(".js-translation-editor li").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert translate_segments(page, words) >= 1
        publish(page, words)
        messages = page.locator(".messages").all_inner_texts()
        assert not any(words["refused"] in text for text in messages), messages
        url = version_url(page, english_url, language)
        title = words["translate"].upper()  # what the translator typed
        assert_translated(page, url, language, title)
        assert language in hreflangs(page, english_url)
        assert in_sitemap(page, url)
        if language == "fr":
            row = status_row(page, "nl", "missing")
            expect(row).to_have_count(1)
            french_board_links_for_dutch = row.locator("a[href*='select_locale=nl']").count()

        edit_urls[language] = edit_url

    # Neither may start or edit the other language's translation: the French
    # translator saw no link for Dutch; the Dutch translator is refused the French page.
    assert not french_board_links_for_dutch
    page.goto(edit_urls["fr"])
    assert "/edit/" not in page.url
