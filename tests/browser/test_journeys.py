"""What visitors and editors do, click by click, in Chromium.

The journeys share the session's demo site (conftest.py): each uses addresses and
titles of its own, so their order does not matter.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PolicyViolations, RequestRecorder, assert_accessible
from tests.browser.server import EDITOR_KEY
from tests.browser.two_factor import pass_code_step

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Paths after /en/: the French and Dutch pages have slugs of their own (site.address).
STORY = "stories/women-diaspora-4dev-academy-interviews/"
VIDEO = "stories/women-diaspora-4dev-academy-video/"
EVENT = "events/rwanda-diaspora-info-session/"


def test_language_switcher_leads_to_the_story_in_french(page, site):
    page.goto(f"/en/{STORY}")
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("nav.language-switcher").get_by_role("link", name="Français").click()

    page.wait_for_url(f"**{site.address(STORY, 'fr')}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == (
        "Les participantes de la Women Diaspora 4Dev Academy présentent leurs activités"
    )
    switcher = page.locator("nav.language-switcher")
    assert switcher.get_by_role("link", name="Français").get_attribute("aria-current") == "true"


def test_video_loads_from_its_host_only_when_clicked(page, site):
    requests = RequestRecorder(page)
    refused = PolicyViolations(page)
    page.goto(site.address(VIDEO, "fr"))
    page.mouse.wheel(0, 5000)  # lazy images below the fold load too
    page.wait_for_load_state("networkidle")
    assert requests.leaving() == []

    with page.expect_request(lambda request: "youtube-nocookie.com" in request.url):
        page.get_by_role("link", name="Regarder sur YouTube").click()

    player = page.locator("iframe.video__player")
    assert player.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert requests.leaving()[0].startswith("https://www.youtube-nocookie.com/embed/")
    assert refused.messages == []  # the policy's frame-src lets the player in


def test_registering_for_the_rwanda_info_session(page, site):
    requests = RequestRecorder(page)
    page.goto(site.address(EVENT, "fr"))
    form = page.locator("form.form--register")
    form.get_by_label("Votre nom").fill("Aline Uwase")
    form.locator("input[name=email]").fill("aline@example.org")
    form.locator("input[name=consent]").check()

    form.get_by_role("button").click()

    page.wait_for_url("**/fr/events/*/register/answer/*/")
    assert page.locator("h1").inner_text() == "Consultez votre boîte de réception"
    assert_accessible(page)
    assert requests.leaving() == []
    (confirmation,) = site.emails_to("aline@example.org")
    assert confirmation["Subject"].startswith("Votre place")


def test_subscribing_and_confirming_from_the_email(page, site):
    page.goto("/nl/newsletter/subscribe/")
    form = page.locator("form.form--subscribe")
    form.locator("input[name=email]").fill("jan@example.org")
    form.locator("input[name=consent]").check()

    form.get_by_role("button").click()

    page.wait_for_url("**/nl/newsletter/subscribe/check-your-inbox/")
    assert_accessible(page)
    (message,) = site.emails_to("jan@example.org")
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", text).group(0)
    assert link.startswith(site.url), "the confirmation link points at this site"

    page.goto(link)
    # Opening the link confirms nothing (mail scanners open links): the page shows
    # the address masked and one button.
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "j•••@example.org" in page.locator("main").inner_text()
    assert "jan@example.org" not in page.content()
    assert_accessible(page)
    page.locator("main form").get_by_role("button").click()

    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "U bent ingeschreven"
    assert "uw inschrijving is bevestigd" in page.locator("main").inner_text()
    assert_accessible(page)
    # The welcome email, in Dutch, with the links to the preferences and to leave.
    (welcome,) = [m for m in site.emails_to("jan@example.org") if "Welkom" in m["Subject"]]
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = welcome.get_body(("plain",)).get_content()
    assert "/nl/newsletter/preferences/" in text and "/nl/newsletter/unsubscribe/" in text


def log_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password")
    page.get_by_role("button", name="Sign in").click()
    pass_code_step(page, EDITOR_KEY)


def open_in_admin(page, query, title):
    """Find a page with the admin's search and open its editor."""
    page.goto(f"/admin/pages/search/?q={query}")
    exact = re.compile(rf"^\s*{re.escape(title)}\s*$")
    page.locator("a[href$='/edit/']").filter(has_text=exact).first.click()
    page.wait_for_url("**/edit/")


def header_action(page, name):
    page.locator("header").get_by_role("button", name="Actions", exact=True).click()
    page.get_by_role("link", name=name).click()


def test_editor_previews_the_issue_as_an_email_and_sends_a_test(page, site):
    log_in(page)
    open_in_admin(page, "issue", "Diaspora Newsletter, issue 1")

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    # The web page first (switching earlier is overridden by its first load).
    expect(preview.locator("h1")).to_have_text("Diaspora Newsletter, issue 1")
    page.locator("#id_preview_mode").select_option(label="Email")
    preview.get_by_text("View this newsletter in your browser").wait_for()
    assert "Diaspora Newsletter, issue 1" in preview.locator("body").inner_text()

    header_action(page, "Send a test email")
    assert page.locator("input[name=email]").input_value() == "editor@example.org"
    page.get_by_role("button", name="Send the test").click()
    page.get_by_text("Test sent to editor@example.org").wait_for()

    subjects = sorted(m["Subject"] for m in site.emails_to("editor@example.org"))
    assert subjects == [
        "[Test] Diaspora Newsletter, issue 1",
        "[Test] Diaspora-nieuwsbrief, editie 1",
        "[Test] Lettre d’information Diaspora, numéro 1",
    ]


def test_keyboard_only_on_a_phone_skip_link_menu_and_language_switcher(page, site):
    """Without a mouse, at 360 px: the skip link comes first and is seen, the menu
    opens with Enter, and the language switcher is reached and followed by keys."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site.address(STORY, "nl"))

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # moved into view when focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")

    page.goto(site.address(STORY, "nl"))
    summary = page.locator("summary.site-nav__summary")
    for _ in range(20):  # Tab until the menu button has the focus
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    expect(page.locator(".site-nav__list")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.locator(".site-nav__list")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(".site-nav__link").first).to_be_focused()

    # On a phone the languages are behind their own button, next to the menu's.
    page.goto(site.address(STORY, "nl"))
    languages = page.locator("nav.language-switcher summary")
    french = page.locator("nav.language-switcher").get_by_role("link", name="Français")
    for _ in range(20):
        page.keyboard.press("Tab")
        if languages.evaluate("element => element === document.activeElement"):
            break
    expect(languages).to_be_focused()
    expect(french).to_be_hidden()
    page.keyboard.press("Enter")
    expect(french).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Tab")
        if french.evaluate("element => element === document.activeElement"):
            break
    expect(french).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{site.address(STORY, 'fr')}")


def test_motion_is_reduced_when_the_visitor_asks(page):
    page.emulate_media(reduced_motion="reduce")
    page.goto("/en/")
    durations = page.evaluate(
        """() => [...document.querySelectorAll('*')].map(e => getComputedStyle(e))
                 .flatMap(s => [s.transitionDuration, s.animationDuration])
                 .filter(d => d && d !== '0s')"""
    )
    assert all(float(d.split(",")[0].rstrip("ms").rstrip("s") or 0) <= 0.01 for d in durations), (
        set(durations)
    )
