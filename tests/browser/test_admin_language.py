"""A translator whose admin is in French or Dutch sees no English on any screen.

Walks every admin screen a translator reaches, as the browser draws it (the
translation editor is drawn by React), and looks for English words in the visible
text, button labels, placeholders, aria-labels and titles, outside elements marked
lang="en" (text typed in English is English). The translators and the pages come
from admin_walk.py, made by server.py. docs/translation.md lists the upstream
strings the project's catalogues translate or fix.
"""

import json
import re

import pytest

from tests.browser.admin_walk import PASSWORD, username

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The brief's words, "translation" (wagtail-localize's editor heading) and the months
# (dates formatted with strftime).
ENGLISH = re.compile(
    r"\b(Publish|Translate|English|Draft|Live|Save|Delete|Search|Edit|Preview|Submit|Sync"
    r"|Choose|translation|January|February|March|April|June|July|August|September"
    r"|October|November|December)\b"
)

#: Screen name → admin URL ({language} and the page ids of admin_walk.py), and a CSS
#: selector to wait for when the screen is drawn by JavaScript. One line per screen.
SCREENS = {
    "dashboard": ("/admin/", None),
    "page listing": ("/admin/pages/{home}/", None),
    "page search": ("/admin/pages/search/?q=diaspora", None),
    "page editor": ("/admin/pages/{own_page}/edit/", None),
    "translation editor": ("/admin/pages/{translated}/edit/", ".js-translation-editor li"),
    "alias page": ("/admin/pages/{alias}/edit/", None),
    "page history": ("/admin/pages/{translated}/history/", None),
    "translation status": ("/admin/reports/translation-status/", None),
    "account": ("/admin/account/", None),
    "snippets": ("/admin/snippets/", None),
    "partners": ("/admin/snippets/home/partner/?locale={language}", None),
}

#: What the user reads on the page: visible text, and the labels and hints of
#: elements, each with the element it came from, outside lang="en" elements.
READ_THE_PAGE = """() => {
    const english = element => (element.closest("[lang]")?.lang || "").startsWith("en");
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!node.textContent.trim() || english(element)) continue;
        if (!element.checkVisibility({visibilityProperty: true})) continue;
        if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(element.tagName)) continue;
        found.push([element.outerHTML.slice(0, 120), node.textContent.trim()]);
    }
    for (const element of document.body.querySelectorAll(
        "[placeholder], [aria-label], [title], input[type=submit], input[type=button]"
    )) {
        if (english(element)) continue;
        for (const name of ["placeholder", "aria-label", "title", "value"]) {
            if (name === "value" && !["submit", "button"].includes(element.type)) continue;
            const value = element.getAttribute(name);
            if (value) found.push([element.outerHTML.slice(0, 120), `${name}="${value}"`]);
        }
    }
    found.push(["<title>", document.title]);
    return found;
}"""


def english_on(page):
    """The English words the page shows, as "word: where" lines, each once."""
    found = {
        f"{match.group(0)}: {text[:100]!r} in {where}"
        for where, text in page.evaluate(READ_THE_PAGE)
        for match in ENGLISH.finditer(text)
    }
    return sorted(found)


def log_in(page, language):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username(language))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translators_admin_has_no_english(page, site, language):
    ids = json.loads(site.admin_walk_path.read_text())[language]
    log_in(page, language)
    found = {}
    for name, (url, ready) in SCREENS.items():
        response = page.goto(url.format(language=language, **ids))
        assert response.ok, f"{name}: {url} answered {response.status}"
        assert "/login/" not in page.url and page.url.rstrip("/").endswith("/admin") == (
            name == "dashboard"
        ), f"{name}: {url} led to {page.url} (refused?)"
        if ready:
            page.locator(ready).first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        words = english_on(page)
        if words:
            found[f"{name} ({page.url})"] = words
    assert not found, "English in the {} admin:\n{}".format(
        language,
        "\n".join(f"{screen}:\n  " + "\n  ".join(words) for screen, words in found.items()),
    )
