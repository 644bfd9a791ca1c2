"""One journey: a member of Editors (protected: Editors can send issues) signs in for
the first time, reaches no admin page before enrolling, enrols an authenticator app
(the key read from the page, the codes computed as the app would), keeps the recovery
codes, signs out, signs in with the app's code, then with a recovery code, which is
refused the second time."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.browser.server import SENDER
from tests.browser.two_factor import code

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def password_step(page):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(SENDER[0])
    page.locator("input[name=password]").fill(SENDER[1])
    page.locator("form button[type=submit]").click()


def code_step(page, value):
    page.wait_for_url("**/admin/two-factor/?**")
    page.locator("input[name=code]").fill(value)
    page.locator("main form.login-form button[type=submit]").click()


def sign_out(page):
    page.goto("/admin/")
    page.locator("#wagtail-sidebar").get_by_role("button", name="sender").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/admin/login/**")


def test_a_sender_enrols_then_signs_in_with_the_app_and_with_a_recovery_code(page):
    password_step(page)
    page.wait_for_url("**/admin/two-factor/set-up/**")
    assert page.locator("h1").inner_text() == "Set up two-factor authentication"
    assert_accessible(page)
    # Before enrolling, no admin page: each leads back to the enrolment.
    for path in ("/admin/", "/admin/pages/", "/admin/snippets/newsletter/subscriber/"):
        page.goto(path)
        assert "/admin/two-factor/set-up/" in page.url, path
    api = page.request.get("/admin/api/main/pages/")
    assert api.status == 403
    key = page.locator("#twofactor-key").get_attribute("data-key")
    assert page.locator(".twofactor-qr svg").count() == 1
    page.locator("input[name=code]").fill(code(key, hex_key=False))
    page.get_by_role("button", name="Confirm").click()
    page.locator(".twofactor-codes").wait_for()
    recovery = page.locator(".twofactor-codes code").all_inner_texts()
    assert len(recovery) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/admin/")
    assert page.locator("#wagtail-sidebar").count() == 1

    sign_out(page)
    password_step(page)
    code_step(page, code(key, hex_key=False))
    page.wait_for_url("**/admin/")

    sign_out(page)
    password_step(page)
    code_step(page, recovery[0])
    page.wait_for_url("**/admin/")
    assert "9 codes are left" in page.locator(".messages").inner_text()

    sign_out(page)
    password_step(page)
    code_step(page, recovery[0])
    expect(page.locator("main .error-message, main .error")).to_contain_text(
        "This code is not right"
    )
    page.goto("/admin/pages/")
    assert "/admin/two-factor/" in page.url
