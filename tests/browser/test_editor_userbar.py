"""An editor on a public page: Wagtail's userbar and its accessibility checker work
under the strict Content-Security-Policy (security/csp.py), with no refusal."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PolicyViolations
from tests.browser.test_journeys import STORY, log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_userbar_and_its_checker_run_under_the_strict_policy(page, site):
    refused = PolicyViolations(page)
    log_in(page)

    response = page.goto(f"/en/{STORY}")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy

    page.locator("#wagtail-userbar-trigger").click()
    page.get_by_role("menuitem", name="Edit this page").wait_for()
    page.locator("#checker-trigger").click()
    dialog = page.locator("#checker-results")
    dialog.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    # The checker ran: it counts what it found (0 or more) in the menu item.
    # (Filled in once the checks end: waited for, as text, since the menu item may be hidden.)
    expect(page.locator("[data-content-checker-count]").first).to_have_text(
        re.compile(r"^\s*\d+\s*$")
    )

    assert refused.messages == []
