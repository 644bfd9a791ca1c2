"""French typography holds everywhere a French reader looks, and Dutch has none of it.

French wants a narrow no-break space (U+202F) before ; ! ? and inside « », and a
no-break space (U+00A0 or U+202F) before : (tests/typography.py). Checked over the
French catalogues and demo translations (each msgstr), every rendered French page of
the demo and the fixed French views, and the French emails; Dutch must have no such
space before its punctuation. A failure names the file and msgid, or the page or
email, with the excerpt and the wrong space (⍽ plain, ∅ none).
"""

import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from events.cancel_links import cancel_token
from events.models import Registration
from newsletter.issue_email import render_issue, version_for
from newsletter.models import NewsletterIssuePage
from tests.events.factories import form_data as registration_data
from tests.events.factories import make_event, register_url
from tests.typography import dutch_problems, french_problems

ROOT = Path(__file__).resolve().parent.parent
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
# The fixed (non-page) French views a visitor reaches, beside the pages.
VIEWS = [
    ("newsletter:subscribe", {}),
    ("newsletter:check_inbox", {}),
    ("events:propose", {}),
    ("events:propose_thanks", {}),
    ("search", {"q": "diaspora"}),
]


def catalogues(language):
    return [
        *sorted((ROOT / "locale" / language / "LC_MESSAGES").glob("*.po")),
        *sorted((ROOT / "demo" / "translations" / language).glob("*.po")),
    ]


def translations_of(path):
    for entry in polib.pofile(str(path)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield entry, text


@pytest.mark.parametrize(
    ("language", "check"), [("fr", french_problems), ("nl", dutch_problems)], ids=["fr", "nl"]
)
def test_the_catalogues_and_demo_translations_are_spaced(language, check):
    problems = [
        f"{path.relative_to(ROOT)}: msgid {entry.msgid[:70]!r}: {problem}"
        for path in catalogues(language)
        for entry, text in translations_of(path)
        for problem in check(text)
    ]
    assert len(catalogues(language)) > 40
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_missing_space_and_skips_what_is_not_prose():
    assert french_problems("Téléphone: 02") and french_problems("Merci !")
    assert french_problems("« Bonjour »") and french_problems("Quoi?")
    assert not french_problems("Téléphone\u00a0: 02, Merci\u202f! «\u202fBonjour\u202f»")
    assert not french_problems(
        'À 18:30, <a href="https://x.be/?a=1;b=2">x</a> mailto:a@b.be %(name)s\u00a0: {x}\u00a0: '
        "<script>if (a) {b();}</script>"
    )
    assert dutch_problems("Telefoon\u00a0:") and not dutch_problems("Telefoon: 02, Dank!")


def french_text(html):
    """The text a French reader sees: French elements only (language names in the
    switcher and English left in place are marked with their own lang), no scripts,
    styles or attributes."""
    page = BeautifulSoup(html, "html.parser")
    for element in page(["script", "style", "template"]):
        element.decompose()
    for element in page.select("[lang]"):
        if element.name != "html" and not element["lang"].startswith("fr"):
            element.decompose()
    title = page.title.get_text() if page.title else ""
    body = page.body or page
    return title + "\n" + body.get_text("")


def where_written(problem):
    """The catalogue entries whose French holds the words before the problem: the
    place to fix it (or a template, when no entry does)."""
    words = problem.split("…", 1)[1].rsplit("…", 1)[0].strip()[:18]
    found = [
        f"{path.relative_to(ROOT)} msgid {entry.msgid[:50]!r}"
        for path in catalogues("fr")
        for entry, text in translations_of(path)
        if words and words in text
    ]
    return "; ".join(found[:2]) or "not in a catalogue: a template or Python string"


def report(problems_by_place):
    return "\n".join(
        f"{place}: {problem} [{where_written(problem)}]"
        for place, problems in problems_by_place.items()
        for problem in problems
    )


@pytest.mark.django_db
def test_every_french_page_and_view_is_spaced(client):
    pages = Page.objects.live().filter(depth__gt=2, locale__language_code="fr")
    addresses = [page.url for page in pages] + ["/fr/"]
    with translation.override("fr"):
        for name, query in VIEWS:
            addresses.append(reverse(name) + ("?q=" + query["q"] if query else ""))
    assert len(addresses) > 40
    problems = {}
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        found = french_problems(french_text(response.content.decode()))
        if found:
            problems[address] = found
    assert not problems, report(problems)


def email_parts(message):
    yield "subject", message.subject
    yield "text", message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            yield "html", french_text(content)


@pytest.mark.django_db
def test_french_emails_are_spaced(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        # A subscription's confirmation.
        client.post(
            "/fr/newsletter/subscribe/",
            {"email": "lea@example.org", "language": "fr", "consent": "on", "website": ""},
            **SAME_ORIGIN,
        )
        # A registration's answers: a place, the waiting list, cancelling, a place freed.
        event = make_event(capacity=1)
        for email in ("amina@example.org", "binta@example.org"):
            client.post(register_url(event["fr"]), registration_data(email=email), **SAME_ORIGIN)
        first = Registration.objects.get(email="amina@example.org")
        client.post(f"/fr/events/registration/{cancel_token(first)}/cancel/")
    assert len(mail.outbox) >= 3
    emails = {f"email {n} ({message.subject})": message for n, message in enumerate(mail.outbox)}
    problems = {}
    for name, message in emails.items():
        for part, text in email_parts(message):
            found = french_problems(text)
            if found:
                problems[f"{name} {part}"] = found
    # An issue of the newsletter, as French readers get it.
    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    email = render_issue(version_for(issue, "fr"), "fr")
    for part, text in [("html", french_text(email.html)), ("text", email.text)]:
        found = french_problems(re.sub(r"\[[^\]]*\]", "", text) if part == "text" else text)
        if found:
            problems[f"issue email {part}"] = found
    assert not problems, report(problems)
