"""The discussion, as its people use it: a French reader on a phone comments on a
story and confirms the address from the email; a moderator whose admin is in Dutch
approves it; the three language versions show it marked lang="fr"; the office's
answer appears marked as such; the reader gets the reply email in French and stops
further emails with one click. And the page with a discussion and an open reply
form passes axe-core in the three languages at both widths, all on this host."""

import re

import pytest

from tests.browser.helpers import RequestRecorder, assert_accessible
from tests.browser.server import MODERATOR, MODERATOR_KEY
from tests.browser.two_factor import pass_code_step

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STORY = "stories/mission-to-niger-and-tahoua-job-fair/"
PHONE = {"width": 360, "height": 740}


def link_in(message, pattern):
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://\S+{pattern}\S*", text).group(0)


def moderator_logs_in(page):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(MODERATOR[0])
    page.locator("input[name=password]").fill(MODERATOR[1])
    page.locator("form button[type=submit]").click()
    pass_code_step(page, MODERATOR_KEY)


def test_a_french_reader_comments_a_moderator_in_dutch_approves_the_office_answers(browser, site):
    phone = browser.new_context(base_url=site.url, viewport=PHONE, is_mobile=True)
    phone.set_default_timeout(15_000)
    reader = phone.new_page()
    requests = RequestRecorder(reader)
    story_fr = site.address(STORY, "fr")
    reader.goto(story_fr + "#discussion")
    form = reader.locator("#discussion form")
    form.get_by_label("Votre nom").fill("Awa")
    form.get_by_label("Votre adresse e-mail").fill("awa.reader@example.org")
    form.get_by_role("textbox", name="Votre contribution").fill(
        "Merci ! Comment rejoindre le programme ?"
    )
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="Envoyer ma contribution").click()
    reader.wait_for_url("**/fr/discussion/thank-you/")
    assert reader.locator("h1").inner_text() == "Merci pour votre contribution"

    (confirmation,) = site.emails_to("awa.reader@example.org")
    assert confirmation["Subject"].startswith("Confirmez votre adresse")
    reader.goto(link_in(confirmation, "/discussion/confirm/"))
    assert reader.locator("html").get_attribute("lang") == "fr"
    reader.get_by_role("button", name="Confirmer mon adresse").click()
    reader.wait_for_load_state()
    assert reader.locator("h1").inner_text() == "Adresse confirmée"
    assert requests.leaving() == []

    # The moderator, whose admin speaks Dutch, approves it from the listing.
    admin = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 800})
    admin.set_default_timeout(15_000)
    moderator = admin.new_page()
    moderator_logs_in(moderator)
    approve_in_admin(moderator, "Comment rejoindre le programme")

    for language in ("en", "fr", "nl"):
        reader.goto(site.address(STORY, language) + "#discussion")
        contribution = reader.locator("#discussion article[lang=fr]").filter(
            has_text="Comment rejoindre le programme"
        )
        assert contribution.count() == 1, language
        assert "awa.reader@example.org" not in reader.content()

    # The office answers; the reader is told, in French, and stops these emails.
    answer_in_admin(moderator, "Comment rejoindre le programme", "Bienvenue, écrivez-nous !")
    reader.goto(story_fr + "#discussion")
    office = reader.locator("#discussion .contribution--office")
    assert "Bienvenue, écrivez-nous !" in office.inner_text()
    assert "La réponse du bureau" in office.inner_text()
    answered = [m for m in site.emails_to("awa.reader@example.org") if "répondu" in m["Subject"]]
    assert len(answered) == 1
    assert answered[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    reader.goto(link_in(answered[0], "/discussion/emails/"))
    reader.get_by_role("button", name="Ne plus recevoir ces e-mails").click()
    reader.wait_for_load_state()
    assert reader.locator("h1").inner_text() == "Plus d’e-mails"
    assert requests.leaving() == []
    phone.close()
    admin.close()


def open_contribution(page, text):
    """The moderator finds the contribution with the listing's search and opens it."""
    page.goto("/admin/snippets/discussion/contribution/?q=" + text.split()[-1])
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator("main table a").filter(has_text=text).first.click()
    page.get_by_role("heading", name="Modereren").wait_for()


def approve_in_admin(page, text):
    open_contribution(page, text)
    assert "awa.reader@example.org" in page.locator("main").inner_text()  # moderators only
    page.get_by_role("button", name="Goedkeuren", exact=True).click()
    page.wait_for_load_state()
    assert "Gepubliceerd" in page.locator("body").inner_text()


def answer_in_admin(page, text, answer):
    open_contribution(page, text)
    page.get_by_role("link", name="Antwoorden namens het kantoor").click()
    page.get_by_label("Het antwoord van het kantoor").fill(answer)
    page.get_by_label("Taal van het antwoord").select_option("fr")
    page.get_by_role("button", name="Het antwoord publiceren").click()
    page.wait_for_load_state()
    assert "Het antwoord van het kantoor is gepubliceerd." in page.locator("body").inner_text()


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
@pytest.mark.parametrize("width", [360, 1280])
def test_a_page_with_a_discussion_and_an_open_reply_form_is_accessible(
    browser, site, language, width
):
    context = browser.new_context(base_url=site.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    requests = RequestRecorder(page)
    page.goto(site.address(STORY, language))
    reply = page.locator("#discussion .contribution__actions a").first
    if reply.count():
        reply.click()
    else:  # nobody has posted yet: the form under the page is open
        page.locator("#discussion form").wait_for()
    assert page.locator("#discussion form textarea").is_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert requests.leaving() == []
    context.close()
