"""Hostile values for the hostile-input suite, and what every answer must respect.

The values are what a bot, a broken client or an attacker sends: NUL bytes,
invalid UTF-8, line breaks (header injection), very long strings, HTML and script
tags, right-to-left overrides, Arabic and Hebrew, emoji, whitespace only. Every
answer must be below 500, must not echo a script tag raw, and must be in the
visitor's language.
"""

from urllib.parse import quote_from_bytes, urlencode

from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from discussion.models import Author, Contribution
from events.models import EventPage, EventProposal, Registration
from newsletter.models import Subscriber
from public_forms.models import PublicFormSubmission

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def hostile_settings(max_examples):
    """Few examples, always the same ones (CI is reproducible), no example database."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


SCRIPT = "<script>alert(1)</script>"
# What must never come back unescaped: the start of each injected tag.
RAW_MARKUP = (b"<script>alert", b"<img src=x onerror", b"<svg onload")

SAMPLES = [
    "\x00",
    "nul\x00byte",
    "\r\n",
    "line\r\nBcc: victim@example.org",
    "\n\n\n",
    "   ",
    "\t \u00a0\u2003\u3000",
    "",
    SCRIPT,
    '"><script>alert(1)</script>',
    "<ScRiPt>alert(1)</ScRiPt>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "\u202egnp.exe",
    "\u202eRTL override\u202c",
    "\u200f\u200e\u2066isolate\u2069",
    "مرحبا بالعالم",
    "שלום עולם",
    "😀👍🏾🇧🇪👨‍👩‍👧",
    "\ufeff",
    "\ufffd",
    "%ff%00%0d%0a",
    "x" * 10_000,
    "é" * 5_000,
    "' OR '1'='1' --",
    "{{ request }}{% debug %}",
    "../../etc/passwd",
    "\x1b[31m\x07\x08\x7f",
    "١٢٣",
    "99999999999999999999999",
    "-1",
    "NaN",
]

# Characters of every kind except lone surrogates (which no client can encode).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)

hostile_text = st.one_of(
    st.sampled_from(SAMPLES),
    st.lists(st.sampled_from([*SAMPLES[:22], "a", "@", "example.org", " "]), max_size=4).map(
        "".join
    ),
    any_text,
)

# Things that almost look like email addresses.
hostile_email = st.one_of(
    hostile_text,
    st.builds(lambda a, b: f"{a}@{b}", hostile_text, hostile_text),
    st.sampled_from(
        [
            "amina@example.org\r\nBcc: victim@example.org",
            "amina@example.org\x00",
            f"{SCRIPT}@example.org",
            "amina@exämple.org",
            "amina@例え.テスト",
            "ämina@example.org",
            "amina@xn--exmple-cua.org",
            "amina@[127.0.0.1]",
            "a" * 250 + "@example.org",
            "amina@" + "a" * 300 + ".org",
            "@example.org",
            "amina@",
            "amina@@example.org",
            '"amina diallo"@example.org',
        ]
    ),
)

RAW_BYTES = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x00",
    b"%ff",
]
raw_bytes = st.one_of(st.sampled_from(RAW_BYTES), st.binary(max_size=40))


def urlencoded(data, raw=None, *, percent=True):
    """A form body: `data` encoded as a browser would, then `raw` ({name: bytes}) as
    is (percent-encoded, or not at all when `percent` is False)."""
    body = urlencode(data, doseq=True).encode()
    for name, value in (raw or {}).items():
        value = quote_from_bytes(value).encode() if percent else value
        body += b"&" + name.encode() + b"=" + value
    return body


def fresh_example(client_):
    """Forget the rate limit and the outbox between two examples of one test."""
    cache.clear()
    mail.outbox.clear()
    client_.cookies.clear()


def stored_rows():
    """Everything a public form may store."""
    return {
        "subscribers": Subscriber.objects.count(),
        "registrations": Registration.objects.count(),
        "submissions": PublicFormSubmission.objects.count(),
        "event pages": EventPage.objects.count(),
        "proposals": EventProposal.objects.count(),
        "contributions": Contribution.objects.count(),
        "discussion addresses": Author.objects.count(),
    }


def assert_sound(response, language):
    """What every answer to hostile input respects: no server error, no raw markup
    echoed, and (for an HTML page) written in the visitor's language."""
    assert response.status_code < 500, response.status_code
    content = response.content.lower()
    for markup in RAW_MARKUP:
        assert markup not in content, markup
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        html = BeautifulSoup(response.content, "html.parser").html
        assert html is not None and html.get("lang") == language, html and html.get("lang")
    assert "\n" not in response.get("Location", "") and "\r" not in response.get("Location", "")


def field_errors(response):
    """The error messages shown next to fields of a re-rendered form."""
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(e.get_text(" ").split()) for e in page.select(".errorlist li")]
