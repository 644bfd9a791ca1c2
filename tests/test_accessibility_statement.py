"""The accessibility statement: in the three languages, reached from the footer of
every page, with a way to report a problem (the contact form, in the page's language)."""

import pytest

from tests.helpers import demo_url, soup

TITLES = {"en": "Accessibility", "fr": "Accessibilité", "nl": "Toegankelijkheid"}
REPORT = {"en": "Write to us", "fr": "Écrivez-nous", "nl": "Schrijf ons"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
@pytest.mark.parametrize("start", ["", "events", "stories"])
def test_the_statement_is_linked_from_the_footer(client, language, start):
    footer = soup(client.get(demo_url(start, language))).select_one("footer .site-footer__links")
    links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
    assert links[TITLES[language]] == demo_url("accessibility", language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_the_statement_says_what_is_tested_and_how_to_report_a_problem(client, language):
    page = soup(client.get(demo_url("accessibility", language)))
    assert page.h1.get_text(strip=True) == TITLES[language]
    assert page.select_one("html")["lang"] == language
    assert page.select_one(".notice--untranslated") is None
    text = page.get_text(" ")
    assert "WCAG 2.1" in text and "AA" in text and "axe-core" in text
    report = next(a for a in page.select("main a") if a.get_text(strip=True) == REPORT[language])
    assert report["href"] == demo_url("contact", language)
