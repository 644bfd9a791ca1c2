"""Sharing a page and the accessibility statement, in the browser: the copy button
copies the address and says so to screen readers, the address is there without
JavaScript, nothing is loaded from another site, and the statement is one click from
the footer."""

import pytest

from tests.browser.helpers import PolicyViolations, RequestRecorder, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STORY = "stories/mission-to-niger-and-tahoua-job-fair/"


def test_copy_link_copies_the_address_and_announces_it(context, site):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    requests = RequestRecorder(page)
    refused = PolicyViolations(page)
    page.goto(site.address(STORY, "fr"))
    address = page.locator("#share-url").input_value()
    # The page's canonical address (the browser suite's Site says port 8000).
    assert address == page.locator("link[rel=canonical]").get_attribute("href")
    assert address.endswith(page.url.removeprefix(site.url))
    button = page.get_by_role("button", name="Copier le lien")
    button.focus()  # a keyboard user
    page.keyboard.press("Enter")
    status = page.locator(".share [role=status]")
    status.filter(has_text="Lien copié").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert requests.leaving() == [] and refused.messages == []


def test_without_javascript_the_address_is_there_to_copy(browser, site):
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.address(STORY, "nl"))
        address = page.get_by_label("Link naar deze pagina").input_value()
        assert address == page.locator("link[rel=canonical]").get_attribute("href")
        assert not page.locator("[data-share-copy]").is_visible()
        assert (
            page.get_by_role("link", name="Via WhatsApp")
            .get_attribute("href")
            .startswith("https://wa.me/?text=")
        )
    finally:
        context.close()


STATEMENT = [("en", "Accessibility"), ("fr", "Accessibilité"), ("nl", "Toegankelijkheid")]


@pytest.mark.parametrize(("language", "name"), STATEMENT)
def test_the_accessibility_statement_is_one_click_from_the_footer(context, site, language, name):
    page = context.new_page()
    page.goto(f"/{language}/")
    page.locator("footer").get_by_role("link", name=name).click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
