"""Small helpers for reading rendered pages and finding demo pages in each language."""

import datetime

from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Locale

from bench.demo_pages import english_page


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    """The visible text of a page, whitespace collapsed."""
    return " ".join(soup(response).get_text(" ").split())


def in_language(page, code):
    """`page` in the language `code`: its translation (or itself), as its own type."""
    locale = Locale.objects.get(language_code=code)
    if page.locale_id == locale.pk:
        return page.specific
    return page.get_translation(locale).specific


def demo_page(english, code="en"):
    """The demo page known in English as `english`, in the language `code`.

    `english` is the page's English path below the home page ("countries/niger",
    "events", "" for the home page itself): French and Dutch pages have slugs of
    their own (/fr/pays/niger/), so tests find them through the English page.
    """
    page = english_page(english)
    assert page is not None, f"no demo page at /en/{english}"
    return in_language(page, code)


def demo_url(english, code="en"):
    """The address, in the language `code`, of the demo page whose English path
    below the home page is `english` (see demo_page): demo_url("survey", "fr")."""
    return demo_page(english, code).url


class Clock:
    """timezone.now() standing still until a test moves it (`advance(days=…)`)."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)
