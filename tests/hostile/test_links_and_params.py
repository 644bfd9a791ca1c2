"""Every public query parameter and every signed link, fed hostile values, and odd
paths: never a server error, never raw markup echoed, an answer in the visitor's
language, and a broken link changes nothing.

Query parameters: the search (`q`, `page`), the event index's filters (`country`,
`kind`, `page`, `past_page`), the other listings' `page` (and the stories' `kind`),
feeds and calendars. Links: confirming, unsubscribing (also the one-click POST of
RFC 8058), preferences, invitations and cancelling a registration.
"""

from urllib.parse import quote, quote_from_bytes

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import example, given
from hypothesis import strategies as st

from events.cancel_links import CANCEL_SALT
from newsletter import subscriptions
from newsletter.models import Subscriber
from privacy import links
from tests.helpers import demo_url
from tests.hostile.inputs import (
    SAME_ORIGIN,
    SCRIPT,
    assert_sound,
    fresh_example,
    hostile_settings,
    hostile_text,
    raw_bytes,
    stored_rows,
)

LANGUAGES = ("en", "fr", "nl")

# Each public URL that reads query parameters, and the parameters it reads. Listing
# pages are named by their English path: French and Dutch ones have slugs of their
# own (/fr/evenements/), see `address`.
LISTING_PAGES = {"events/", "stories/", "countries/", "projects/", "newsletter/", ""}
PARAMETERS = {
    "search/": ("q", "page"),
    "events/": ("country", "kind", "page", "past_page"),
    "stories/": ("kind", "page"),
    "countries/": ("page",),
    "projects/": ("page",),
    "newsletter/": ("page",),
    "": ("page", "q"),  # the home page reads none: stray parameters change nothing
    "stories/feed.xml": ("page",),
    "newsletter/feed.xml": ("page",),
    "countries/rw/feed.xml": ("page",),
    "events/calendar.ics": ("page",),
    "events/calendar/RW.ics": ("country",),
}
QUERIES = [(path, name) for path, names in PARAMETERS.items() for name in names]


def address(path, language):
    """Where `path` of PARAMETERS is in `language`: a listing page at its own address,
    a view at the same path under each language prefix."""
    if path in LISTING_PAGES:
        return demo_url(path, language)
    return f"/{language}/{path}"


def query_value(value):
    """`value` as a query string holds it: percent-encoded text, or raw bytes."""
    if isinstance(value, bytes):
        return quote_from_bytes(value)
    return quote(value, safe="")


def html_lang(response):
    return BeautifulSoup(response.content, "html.parser").html.get("lang")


@pytest.mark.django_db
@hostile_settings(max_examples=20)
@given(
    language=st.sampled_from(LANGUAGES),
    target=st.sampled_from(QUERIES),
    value=st.one_of(hostile_text, raw_bytes),
    undecoded=st.booleans(),
)
@example(language="fr", target=("search/", "q"), value="\x00", undecoded=False)
@example(language="nl", target=("search/", "q"), value=b"\xff\xfe", undecoded=True)
@example(language="en", target=("events/", "country"), value="%00", undecoded=False)
@example(language="en", target=("events/", "past_page"), value="9" * 30, undecoded=False)
@example(language="fr", target=("events/", "page"), value="-1", undecoded=False)
@example(language="en", target=("stories/", "kind"), value=SCRIPT, undecoded=False)
def test_hostile_query_parameters_never_break_a_page(client, language, target, value, undecoded):
    fresh_example(client)
    path, name = target
    if undecoded and isinstance(value, bytes):
        # Bytes a client sent without percent-encoding them (WSGI hands them on as latin-1).
        query = f"{name}=" + value.decode("latin-1")
    else:
        query = f"{name}={query_value(value)}"
    before = stored_rows()
    response = client.get(address(path, language), QUERY_STRING=query)
    assert_sound(response, language)
    assert response.status_code in (200, 400, 404), response.status_code
    assert stored_rows() == before
    if path == "search/" and name == "q":
        if response.status_code == 400:  # said why, in the visitor's language
            page = BeautifulSoup(response.content, "html.parser")
            assert page.select_one("#search-error").get_text(strip=True)
    elif path != "events/calendar/RW.ics" or response.status_code != 404:
        # Filters and page numbers that make no sense are ignored.
        assert response.status_code == 200, (path, query, response.status_code)


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize(
    "q, message",
    [
        ("x" * 10_000, "Your search is too long. Please use at most %(limit)d characters."),
        (
            "nul\x00byte",
            "Your search contains characters that cannot be searched for. Please use words only.",
        ),
    ],
    ids=["too long", "NUL byte"],
)
def test_a_search_that_cannot_be_made_says_why_in_the_visitors_language(
    client, language, q, message
):
    response = client.get(f"/{language}/search/", {"q": q})
    assert response.status_code == 400
    assert html_lang(response) == language
    page = BeautifulSoup(response.content, "html.parser")
    said = page.select_one("#search-error").get_text(strip=True)
    expected = in_language(language, message).split("%")[0].strip()
    assert expected and expected != in_language("en", message).split("%")[0].strip()
    assert said.startswith(expected), said


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_search_for_a_script_tag_is_shown_escaped(client, language):
    response = client.get(f"/{language}/search/", {"q": f"{SCRIPT} \u202eرحبا 😀"})
    assert response.status_code == 200
    assert_sound(response, language)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


# --- Signed links ------------------------------------------------------------------

LINKS = [
    "newsletter/confirm/{}/",
    "newsletter/unsubscribe/{}/",
    "newsletter/preferences/{}/",
    "newsletter/accept/{}/",
    "events/registration/{}/cancel/",
]


@pytest.fixture
def people(db):
    person = {
        "consent_text_version": subscriptions.CONSENT_TEXT_VERSION,
        "consent_given_at": "2026-11-01T10:00:00Z",
    }
    return [
        Subscriber.objects.create(email=f"{status}@example.org", status=status, **person)
        for status in (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED)
    ]


def statuses():
    return list(Subscriber.objects.order_by("pk").values_list("status", "language"))


@pytest.mark.django_db
@hostile_settings(max_examples=25)
@given(
    language=st.sampled_from(LANGUAGES),
    link=st.sampled_from(LINKS),
    token=st.one_of(hostile_text, raw_bytes),
    method=st.sampled_from(["GET", "POST"]),
)
@example(language="fr", link=LINKS[1], token="\x00", method="POST")
@example(language="nl", link=LINKS[4], token=b"\xff", method="POST")
@example(language="en", link=LINKS[0], token="x" * 5000, method="GET")
def test_a_forged_link_changes_nothing_and_says_so(client, people, language, link, token, method):
    fresh_example(client)
    before, states = stored_rows(), statuses()
    segment = query_value(token)
    body = "List-Unsubscribe=One-Click" if method == "POST" else ""
    response = client.generic(
        method,
        f"/{language}/{link.format(segment)}",
        body,
        content_type="application/x-www-form-urlencoded",
        **SAME_ORIGIN,
    )
    assert_sound(response, language)
    # 400: "this link does not work"; 404: no token at all, or one holding a "/".
    assert response.status_code in (400, 404, 405), response.status_code
    assert stored_rows() == before and statuses() == states
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_forged_link_is_explained_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/newsletter/confirm/{quote('<script>alert(1)', safe='')}/")
    assert response.status_code == 400
    assert html_lang(response) == language
    title = in_language(language, "This link does not work")
    assert title != "This link does not work"
    assert title in response.content.decode()


@pytest.mark.django_db
@hostile_settings(max_examples=12)
@given(body=st.one_of(raw_bytes, hostile_text.map(str.encode)))
@example(body=b"List-Unsubscribe=One-Click\x00\xff")
def test_the_one_click_unsubscribe_takes_any_body(client, people, body):
    """A mail client posts `List-Unsubscribe=One-Click`; whatever else arrives, the
    signed link alone unsubscribes, and the answer is in the subscriber's language."""
    fresh_example(client)
    subscriber = people[1]
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.CONFIRMED, language="nl"
    )
    subscriber.refresh_from_db()
    path = subscriptions.unsubscribe_url(subscriber).removeprefix("http://testserver")
    response = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
    assert_sound(response, "nl")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_cancel_link_for_a_registration_that_is_gone_says_so(client, method):
    token = links.signed_token(10**9, "gone@example.org", CANCEL_SALT)
    response = client.generic(method, f"/fr/events/registration/{token}/cancel/")
    assert response.status_code == 400
    assert html_lang(response) == "fr"


# --- Odd paths ---------------------------------------------------------------------

ODD_PATHS = [
    "/xx/",
    "/EN/",
    "/En/events/",
    "/en/" + "a" * 5000 + "/",
    "/en/events/" + "a" * 5000 + "/",
    "/%ff/",
    "/en/%ff/",
    "/fr/%ff%fe/",
    "/en/%00/",
    "/nl/events/%00/",
    "/en/%c3%28/",
    "/en/%ed%a0%80/",
    "//",
    "//en/",
    "/en//",
    "/en//events//",
    "/fr/events//propose/",
    "/en/../admin/",
    "/en/events/../../../etc/passwd",
    "/en/%2e%2e/%2e%2e/",
    "/en/%2F%2F/",
    "/en/%E2%80%AE/",
    "/en/%F0%9F%98%80/",
    "/ar/",
    "/he/",
    "/en/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/en/events/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/en/forms/99999999999999999999999/",
    "/en/forms/0/",
    "/en/events/99999999999999999999999/register/",
    "/en/events/99999999999999999999999/calendar.ics",
    "/en/events/calendar/%ff.ics",
    "/en/events/calendar/x%00.ics",
    "/en/events/calendar/ZZ.ics",
    "/en/events/calendar/rw.ics",
    "/en/events/calendar/%D8%B9%D8%B1.ics",
    "/en/events/calendar/" + "A" * 5000 + ".ics",
    "/en/countries/%00/feed.xml",
    "/en/countries/%ff/feed.xml",
    "/en/countries/zz/feed.xml",
    "/en/countries/%D7%A9%D7%9C/feed.xml",
    "/en/countries/" + "b" * 5000 + "/feed.xml",
    "/en/newsletter/confirm/%00/",
    "/en/events/registration/%00/cancel/",
    "/sitemap.xml?page=%00",
    "/sitemap.xml?page=%ff",
    "/robots.txt?%00",
    "/documents/%00/",
    "/documents/99999999999999999999999/x.pdf",
]


def odd_path_language(path):
    segment = path.split("/")[1] if path.count("/") > 1 else ""
    return segment if segment in LANGUAGES else None


@pytest.mark.django_db
@pytest.mark.parametrize("path", ODD_PATHS, ids=lambda p: p[:60])
def test_odd_paths_never_break_the_site(client, path):
    before = stored_rows()
    response = client.get(path)
    assert response.status_code < 500, response.status_code
    assert b"<script>alert" not in response.content.lower()
    assert stored_rows() == before
    language = odd_path_language(path)
    if language and response.get("Content-Type", "").startswith("text/html"):
        assert_sound(response, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_missing_page_is_explained_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/{'a' * 5000}/%00/")
    assert response.status_code == 404
    assert html_lang(response) == language
    title = in_language(language, "Page not found")
    assert title != "Page not found"
    assert title in response.content.decode()


@pytest.mark.django_db
@hostile_settings(max_examples=20)
@given(
    language=st.sampled_from(LANGUAGES),
    prefix=st.sampled_from(
        ["", "events/", "stories/", "countries/", "newsletter/", "events/calendar/", "forms/"]
    ),
    segment=st.one_of(hostile_text, raw_bytes),
    suffix=st.sampled_from(["/", "", ".ics", "/feed.xml", "/register/", "/cancel/"]),
)
def test_hostile_path_segments_never_break_the_site(client, language, prefix, segment, suffix):
    fresh_example(client)
    before = stored_rows()
    response = client.get(f"/{language}/{prefix}{query_value(segment)}{suffix}")
    assert response.status_code < 500, response.status_code
    assert b"<script>alert" not in response.content.lower()
    assert stored_rows() == before
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        assert_sound(response, language)


@pytest.mark.django_db
def test_a_request_django_cannot_take_is_answered_in_the_visitors_language(client):
    """A path too long to be redirected to its form with a slash (Django refuses a
    redirect over 16,384 characters) gets the site's 400 page, in French here."""
    response = client.get("/fr/" + "%C3%A9" * 5000)
    assert response.status_code == 400
    assert html_lang(response) == "fr"
    assert "Bad Request (400)" not in response.content.decode()
