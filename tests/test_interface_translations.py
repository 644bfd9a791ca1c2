"""The interface is fully translated into French and Dutch."""

import re
from pathlib import Path

import polib
import pytest

from tests.helpers import demo_url, soup, text_of

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|</?\w+[^>]*>")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 250
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_javascript_catalogue_is_complete(language):
    """Our JavaScript strings, and the upstream ones it overrides (docs/translation.md)."""
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "djangojs.po"))
    assert catalogue.find("Publish in ").msgstr.endswith(" ")
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translations_keep_every_placeholder(language, domain):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"))
    for entry in catalogue:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        for target in targets:
            assert sorted(PLACEHOLDER.findall(target)) == expected, entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, skip_link, when",
    [
        ("en", "Skip to content", "Date to be announced"),
        ("fr", "Aller au contenu", "Date à confirmer"),
        ("nl", "Naar de inhoud", "Datum nog te bepalen"),
    ],
)
def test_pages_speak_the_visitors_language(client, language, skip_link, when):
    response = client.get(demo_url("events/rwanda-diaspora-info-session", language))
    page = soup(response)
    assert page.html["lang"] == language
    assert page.select_one("a.skip-link").get_text(strip=True) == skip_link
    assert when in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, name",
    [
        ("en", "Palestinian Territory"),
        ("fr", "Territoire palestinien"),
        ("nl", "Palestijnse Gebieden"),
    ],
)
def test_country_names_come_in_each_language(client, language, name):
    """The page title is the editors' (translated later); the country name itself
    comes from django-countries in the visitor's language."""
    assert name in text_of(client.get(demo_url("countries/palestinian-territory", language)))
