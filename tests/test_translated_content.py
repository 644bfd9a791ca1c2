"""No English left on the French and Dutch demo site, down to alt texts and slugs.

Acceptance test: no common English word (ENGLISH_WORDS) on any French or Dutch
public page, outside text marked as another language (`lang="en"`: content shown
untranslated on purpose, the language switcher's language names). Visible text is
read, and the attributes and <meta> tags a visitor, a screen reader or a sharing
preview shows: alt texts, `og:image:alt` and the like. Names of people,
organisations, programmes, events and places that hold such words are allowed,
each with its reason (ALLOWED_NAMES). Every French and Dutch demo page has a slug
of its own, unless the word is the same in that language (SAME_SLUGS).

The pages: every live page of the locale, and the public views a visitor reaches
under the language prefix (search, the forms' answers, newsletter and
registration links, the 404 page). tests/test_translated_site.py looks for whole
English strings; this test looks for single words, so it also catches English
that comes from no catalogue (an image's alt text, a footer address, a slug).
"""

import re
from pprint import pformat

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from wagtail.models import Locale, Page

from events.cancel_links import cancel_token
from events.models import EventPage, Registration
from newsletter import subscriptions
from newsletter.models import Subscriber
from public_forms.models import PublicFormMixin
from tests.events.factories import form_data as registration_data
from tests.events.factories import register_url
from tests.test_translated_site import visible_text_nodes

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "nl"]
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def words(text):
    return frozenset(text.split())


# Common English words that are not also French or Dutch words, so that finding one
# on a French or Dutch page means English. Left out on purpose, being French or
# Dutch words too: of, is, in, on, an, a, as, at, be, been, but, die, do, for, had,
# here, it, just, last, must, or, over, was, we, us, up, these (Dutch "thesis"),
# are and phone (French units), ours, west, public, sector, issue (French "outcome"),
# participants; and the loanwords both languages use: page, contact, info, video,
# project, business, job, fair, session, mission, interviews, email, newsletter,
# image, poster, illustration, demo.
ENGLISH_WORDS = words(
    """
    the and with from your yours our this that those they them their there then than
    which who whom whose what when where why how will would could should have has
    does did were being not can into its also only some any every each other such
    own about after before during between without within through until while since
    upon against among because more read reading please thank thanks welcome
    search subscribe unsubscribe registration address language skip footer
    share watch learn find see all new news people work working words development
    health education women youth country countries story stories projects events
    success sustainable entrepreneurship reintegration exchange invest pilot
    circular temporary congress university generated
    """
)
# English names of places, in English only: French and Dutch have their own
# ("Bruxelles", "Brussel"; "Afrique", "Afrika"). Those written the same way in
# French or Dutch (Niger, Rwanda, Senegal, Tanzania, Europe, Luxembourg) are left out.
ENGLISH_PLACE_NAMES = words(
    """
    brussels belgium belgian antwerp ghent flanders germany netherlands africa
    african european morocco guinea mauritania uganda rwandan palestinian territory
    democratic republic
    """
)

# Proper names that hold an English word and are the same in every language, with
# why they stay as they are. Matched as whole phrases, case-insensitive, and taken
# out of the text before the words are looked for.
ALLOWED_NAMES = {
    "Women Diaspora 4Dev Academy": (
        "the name of IOM's programme, English in every language (the French and Dutch "
        "demo translations keep it)"
    ),
}

# Slugs that stay the same in a language, because the word is the same there.
_COUNTRY_NAMES = "the country's name is written the same way"
_SAME_IN_BOTH = {
    **dict.fromkeys(
        ("benin", "burkina-faso", "burundi", "mali", "mozambique", "niger", "rwanda", "senegal"),
        _COUNTRY_NAMES,
    ),
    "rencontre-des-nigeriens-d-europe": "the event's own name, in French in every language",
    "women-diaspora-4dev-academy": ALLOWED_NAMES["Women Diaspora 4Dev Academy"],
}
SAME_SLUGS = {
    "fr": {**_SAME_IN_BOTH, "contact": "French word too"},
    "nl": {
        **_SAME_IN_BOTH,
        "contact": "Dutch word too",
        "privacy": "Dutch word too",
        "tanzania": _COUNTRY_NAMES,
    },
}

ENGLISH = ENGLISH_WORDS | ENGLISH_PLACE_NAMES
WORD = re.compile(r"[^\W\d_]+")  # letters only: "4Dev" holds the word "dev"
# Addresses are no prose: "www.belgium.iom.int", "info@example.org".
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAMES = re.compile(
    "|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in ALLOWED_NAMES), re.IGNORECASE
)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)*", re.IGNORECASE)
# Attributes read on every element, and the <meta> tags whose content is shown.
# data-video-title becomes the title of the video player's frame.
ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "data-video-title")
BUTTON_INPUTS = ("submit", "button", "reset")
META = re.compile(r"description|title|site_name|image:alt", re.IGNORECASE)
SNIPPET = 40  # characters of context before the first English word


# --- Finding English words -------------------------------------------------------


def english_words(where, text):
    """[(where, words, snippet)] if `text` holds English words (web and email
    addresses and allowed names left out): one finding per text, its words joined,
    the text around the first one."""
    text = " ".join(text.split())
    kept = text
    for skipped in (ADDRESS, NAMES):
        kept = skipped.sub(lambda match: " " * len(match.group()), kept)
    matches = [m for m in WORD.finditer(kept) if m.group().lower() in ENGLISH]
    if not matches:
        return []
    start = max(0, matches[0].start() - SNIPPET)
    end = max(matches[0].end() + SNIPPET, start + 3 * SNIPPET)
    snippet = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return [(where, ", ".join(dict.fromkeys(m.group() for m in matches)), snippet)]


def marked_as_other_language(element, language):
    """Whether `element` or the nearest element around it with a `lang` says the
    content is in another language than `language` (the rule visible_text_nodes
    applies to text). A `lang` that is no language tag ("None") marks nothing."""
    marked = element if element.has_attr("lang") else element.find_parent(attrs={"lang": True})
    tag = marked["lang"] if marked else ""
    return bool(LANGUAGE_TAG.fullmatch(tag)) and tag.split("-")[0].lower() != language


def shown_attributes(page, language):
    """[(where, text)]: the attributes and <meta> contents a visitor or a sharing
    preview shows, and the document's <title>."""
    shown = []
    if page.title and page.title.string:
        shown.append(("<title>", page.title.string))
    for meta in page.find_all("meta", attrs={"content": True}):
        name = meta.get("property") or meta.get("name") or ""
        if META.search(name):
            shown.append((f"<meta {name}>", meta["content"]))
    for element in page.find_all(True):
        if marked_as_other_language(element, language):
            continue
        for attribute in ATTRIBUTES:
            if element.get(attribute):
                shown.append((f"{attribute} of <{element.name}>", element[attribute]))
        # The label of a button input (a <button>'s value is never shown: its text is).
        if element.name == "input" and element.get("type") in BUTTON_INPUTS:
            shown.append(("value of <input>", element.get("value", "")))
    return shown


def english_on(response, language):
    """[(where, words, snippet)] for the English words of a rendered page."""
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    html = response.content.decode()
    found = []
    for node in visible_text_nodes(html, language):
        found += english_words("text", node)
    for where, text in shown_attributes(BeautifulSoup(html, "html.parser"), language):
        found += english_words(where, text)
    return found


# --- The public views beside the pages -------------------------------------------


def filled_in(form):
    """POST data that a visitor filling in `form` (a page's form) would send."""
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or name in data or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            options = [option.get("value") for option in field.find_all("option")]
            data[name] = next((value for value in options if value), "")
        elif field.get("type") in ("checkbox", "radio"):
            data[name] = field.get("value", "on")
        elif field.get("type") == "email":
            data[name] = "amina@example.org"
        elif field.has_attr("required"):
            data[name] = "Amina Diallo"
    return data


def form_page_answers(client, language):
    """The form pages' answers: their errors for an empty form, their landing page."""
    answers = {}
    pages = Page.objects.live().filter(locale__language_code=language, depth__gt=2)
    for page in pages.specific():
        if not isinstance(page, PublicFormMixin):
            continue
        form = BeautifulSoup(client.get(page.url).content, "html.parser").find(
            "form", action=re.compile(r"/forms/\d+/$")
        )
        if form is None:
            continue  # a call that takes no answers now
        action = form["action"]
        answers[f"{action} (POST, empty)"] = client.post(action, {}, **SAME_ORIGIN)
        answers[f"{action} (POST, filled in)"] = client.post(
            action, filled_in(form), follow=True, **SAME_ORIGIN
        )
    return answers


def event_registration_answers(client, language):
    """Registering for the demo's event that takes registrations here, and the
    link to cancel that comes by email."""
    event = EventPage.objects.live().get(
        locale__language_code=language, registration_mode="on_site"
    )
    url = register_url(event)
    answers = {
        f"{url} (POST, empty)": client.post(url, {}, **SAME_ORIGIN),
        f"{url} (POST, filled in)": client.post(
            url, registration_data(), follow=True, **SAME_ORIGIN
        ),
    }
    registration = Registration.objects.get(email="amina@example.org")
    cancel = f"/{language}/events/registration/{cancel_token(registration)}/cancel/"
    answers[f"/{language}/events/registration/<token>/cancel/"] = client.get(cancel)
    answers[f"/{language}/events/registration/<forged>/cancel/"] = client.get(
        f"/{language}/events/registration/forged/cancel/"
    )
    return answers


def newsletter_answers(client, language):
    """Subscribing, and the pages the newsletter's emails link to."""
    prefix = f"/{language}/newsletter"
    answers = {
        f"{prefix}/subscribe/": client.get(f"{prefix}/subscribe/"),
        f"{prefix}/subscribe/ (POST, empty)": client.post(
            f"{prefix}/subscribe/", {}, **SAME_ORIGIN
        ),
        f"{prefix}/subscribe/ (POST, from elsewhere)": client.post(
            f"{prefix}/subscribe/", {}, HTTP_ORIGIN="https://elsewhere.example"
        ),
        f"{prefix}/subscribe/check-your-inbox/": client.get(
            f"{prefix}/subscribe/check-your-inbox/"
        ),
    }
    subscriptions.subscribe(
        email="reader@example.org", language=language, countries=[], source=prefix
    )
    subscriber = Subscriber.objects.get(email="reader@example.org")
    links = {
        "confirm": re.search(r"https?://\S+/confirm/\S+/", mail.outbox[-1].body).group(0),
        "unsubscribe": subscriptions.unsubscribe_url(subscriber),
        "preferences": subscriptions.preferences_url(subscriber),
    }
    for name, link in links.items():
        path = link.removeprefix("http://testserver")
        assert path.startswith(f"{prefix}/{name}/"), path
        answers[f"{prefix}/{name}/<token>/"] = client.get(path)
    for name in ("confirm", "unsubscribe", "preferences", "accept"):
        answers[f"{prefix}/{name}/<forged>/"] = client.get(f"{prefix}/{name}/forged/")
    return answers


def public_views(client, language):
    """{label: response} for the views a visitor reaches beside the pages."""
    search = f"/{language}/search/"
    answers = {
        search: client.get(search),
        f"{search}?q=diaspora": client.get(search, {"q": "diaspora"}),
        f"{search}?q=diaspora&page=2": client.get(search, {"q": "diaspora", "page": 2}),
        f"{search}?q=zzzz": client.get(search, {"q": "zzzz"}),
        f"{search}?q=<too long>": client.get(search, {"q": "z" * 201}),
        f"/{language}/events/propose/": client.get(f"/{language}/events/propose/"),
        f"/{language}/events/propose/ (POST, empty)": client.post(
            f"/{language}/events/propose/", {}, **SAME_ORIGIN
        ),
        f"/{language}/events/propose/thank-you/": client.get(
            f"/{language}/events/propose/thank-you/"
        ),
        f"/{language}/no-such-page/ (404)": client.get(f"/{language}/no-such-page/"),
    }
    answers |= form_page_answers(client, language)
    answers |= event_registration_answers(client, language)
    answers |= newsletter_answers(client, language)
    return answers


# --- The tests --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_word_on_any_public_page(client, language):
    pages = Page.objects.live().filter(depth__gt=1, locale__language_code=language)
    assert pages.count() > 30
    responses = {}
    for page in pages:
        responses[page.url] = client.get(page.url)
        assert responses[page.url].status_code == 200, page.url
    views = public_views(client, language)
    for label, response in views.items():
        # A form filled in or a personal link must reach its answer, not an error.
        reached = response.status_code == 200 or not re.search(r"filled in|<token>", label)
        assert reached and response.status_code < 500, (label, response.status_code)
    responses |= views

    found = {}
    for url, response in responses.items():
        found_here = english_on(response, language)
        if found_here:
            found[url] = found_here
    assert not found, "English words on the site:\n" + pformat(found, width=120)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_a_slug_in_its_language(language):
    """Each live demo page of `language` (not an alias) has a slug of its own, unless
    the word is the same there (SAME_SLUGS). The home page's slug appears in no
    address and is left out. (Slugs are not searched for English words: a French
    slug drops its accents, and "education" is then "éducation".)"""
    source = Locale.get_default()
    pages = Page.objects.live().filter(
        depth__gt=2, locale__language_code=language, alias_of__isnull=True
    )
    assert pages.count() > 30
    found = {}
    for page in pages:
        english = page.get_translation(source)
        if page.slug == english.slug and page.slug not in SAME_SLUGS[language]:
            found[page.url] = [("slug", page.slug, f"the English page's slug: {english.url}")]
    assert not found, "Slugs left in English:\n" + pformat(found, width=120)
