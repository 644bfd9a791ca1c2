"""The French and Dutch sites read entirely in French and Dutch.

Crawls every live page of /fr/ and /nl/ and looks for English left behind: an
interface string shown in its English form, or English demo text where the demo
ships a translation.
"""

from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.utils.html import strip_tags
from wagtail.models import Page

ROOT = Path(__file__).resolve().parent.parent
DEMO_TRANSLATIONS = ROOT / "demo" / "translations"
SHORTEST_CONTENT_STRING = 16  # shorter strings ("Note", "Brussels") are not telling


def interface_strings(language):
    """English interface strings whose translation differs from them."""
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    return {e.msgid for e in catalogue if e.msgstr and e.msgstr != e.msgid and "%" not in e.msgid}


def english_content(language):
    """Distinctive English demo strings that the demo translates into `language`."""
    strings = set()
    for path in (DEMO_TRANSLATIONS / language).glob("*.po"):
        for entry in polib.pofile(str(path)):
            english = " ".join(strip_tags(entry.msgid).split())
            translated = " ".join(strip_tags(entry.msgstr).split())
            distinctive = len(english) >= SHORTEST_CONTENT_STRING
            if entry.msgctxt != "slug" and english != translated and distinctive:
                strings.add(english)
    return strings


def visible_text_nodes(html, language):
    """Visible text in `language`: text marked as another language (the switcher's
    "English", "Nederlands") is in that language on purpose."""
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "head"]):
        hidden.decompose()
    nodes = []
    for text in page.find_all(string=True):
        marked = text.find_parent(attrs={"lang": True})
        if text.strip() and (marked is None or marked["lang"] == language):
            nodes.append(" ".join(text.split()))
    return nodes


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_page_reads_in_its_language(client, language):
    ui_strings = interface_strings(language)
    content_strings = english_content(language)
    assert len(ui_strings) > 250 and len(content_strings) > 100

    pages = Page.objects.live().filter(depth__gt=1, locale__language_code=language)
    assert pages.count() == 40
    leftovers = {}
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        nodes = visible_text_nodes(response.content.decode(), language)
        text = " ".join(nodes)
        english_ui = sorted({node for node in nodes if node in ui_strings})
        english_content_found = sorted(s for s in content_strings if s in text)
        if english_ui or english_content_found:
            leftovers[page.url] = english_ui + english_content_found
        assert not page.alias_of_id, f"{page.url} is still an untranslated alias"
    assert leftovers == {}
