"""Every public form, fed hostile values: never a server error, never raw markup
echoed, wrong input refused in the visitor's language with nothing stored and no
email sent, and whatever is stored free of NUL bytes and line breaks.

The forms: subscribing to the newsletter, the preferences and invitation pages
(signed links), registering for an event, proposing an event, the form pages
(survey, contact, a call's application form) posting to /<language>/forms/<id>/,
and a contribution to the discussion under a story.
Each is posted as a browser does (multipart), urlencoded, and with raw bytes that
are not UTF-8, with or without percent-encoding.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from hypothesis import example, given
from hypothesis import strategies as st

from discussion.models import Author, Contribution
from events.models import CallPage, EventPage, EventProposal, Registration
from home.models import CountryPage, FormPage
from newsletter import invitations, subscriptions
from newsletter.models import Subscriber
from public_forms.models import PublicFormSubmission
from security.text import hidden_characters
from tests.discussion.helpers import contribution_data, story
from tests.discussion.helpers import post_url as discussion_url
from tests.events.factories import form_data, make_event, register_url
from tests.hostile.inputs import (
    SAME_ORIGIN,
    SCRIPT,
    assert_sound,
    field_errors,
    fresh_example,
    hostile_email,
    hostile_settings,
    hostile_text,
    raw_bytes,
    stored_rows,
    urlencoded,
)

LANGUAGES = ("en", "fr", "nl")
BOUNDARY = "HostileBoundary7MA4YWxkTrZu0gW"


def multipart(data, raw):
    """A multipart body holding `data` and the raw bytes of `raw`, as a broken client
    might send it."""
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append((name, str(value).encode()))
    parts.extend(raw.items())
    body = b""
    for name, value in parts:
        body += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    return body + f"--{BOUNDARY}--\r\n".encode()


def path_only(url):
    return url.removeprefix("http://testserver")


# --- The forms ------------------------------------------------------------------


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def proposal_data(language):
    start = timezone.now() + timedelta(days=30)
    return {
        "title": "Forum de la diaspora",
        "start": local(start),
        "end": local(start + timedelta(hours=3)),
        "venue_name": "Maison des associations",
        "venue_address": "Rue de la Loi 1",
        "city": "Bruxelles",
        "online_url": "",
        "description": "Une après-midi d’échanges.",
        "countries": [str(CountryPage.objects.get(slug="rwanda", locale__language_code="en").pk)],
        "name": "Aline Uwase",
        "email": "aline@example.org",
        "organisation": "",
        "consent": "on",
        "website": "",
    }


def form_page(model, slug, language):
    """The demo's form page with this English slug, in `language` (French and Dutch
    pages have slugs of their own)."""
    english = model.objects.get(slug=slug, locale__language_code="en")
    return model.objects.get(
        translation_key=english.translation_key, locale__language_code=language
    )


@dataclass
class PublicForm:
    name: str
    url: Callable  # (targets, language) -> path
    valid: Callable  # (targets, language) -> data a person would send
    # The language the answer is in (signed links answer in the subscriber's).
    answers_in: Callable = lambda targets, language: language
    # What taking the form changes besides new rows (a subscriber's choices).
    state: Callable = lambda targets: None
    has_honeypot: bool = True

    def __repr__(self):
        return self.name


def subscriber_state(subscriber):
    subscriber.refresh_from_db()
    return (subscriber.status, subscriber.language, sorted(subscriber.countries.values_list("pk")))


FORMS = [
    PublicForm(
        "subscribe",
        url=lambda t, lang: f"/{lang}/newsletter/subscribe/",
        valid=lambda t, lang: {
            "email": "amina@example.org",
            "language": lang,
            "consent": "on",
            "source": f"/{lang}/",
            "website": "",
        },
    ),
    PublicForm(
        "register",
        url=lambda t, lang: register_url(t.event[lang]),
        valid=lambda t, lang: form_data(),
    ),
    PublicForm(
        "propose an event",
        url=lambda t, lang: f"/{lang}/events/propose/",
        valid=lambda t, lang: proposal_data(lang),
    ),
    PublicForm(
        "survey",
        url=lambda t, lang: form_page(FormPage, "survey", lang).form_action_url,
        valid=lambda t, lang: {
            "country": "Rwanda",
            "topics": ["Entrepreneurship"],
            "advice": "More events",
            "consent": "on",
            "website": "",
        },
    ),
    PublicForm(
        "contact",
        url=lambda t, lang: form_page(FormPage, "contact", lang).form_action_url,
        valid=lambda t, lang: {
            "name": "Amina Diallo",
            "email": "amina@example.org",
            "message": "Hello",
            "consent": "on",
            "website": "",
        },
    ),
    PublicForm(
        "call application",
        url=lambda t, lang: (
            form_page(CallPage, "invest-in-a-rwanda-pilot-project", lang).form_action_url
        ),
        valid=lambda t, lang: {
            "name": "Amina Diallo",
            "email": "amina@example.org",
            "message": "I would like to invest.",
            "consent": "on",
            "website": "",
        },
    ),
    PublicForm(
        "discussion",
        url=lambda t, lang: discussion_url(story(lang), lang),
        valid=lambda t, lang: contribution_data(language=lang),
    ),
    PublicForm(
        "preferences",
        url=lambda t, lang: path_only(subscriptions.preferences_url(t.subscriber)),
        valid=lambda t, lang: {"language": "fr", "countries": [str(t.country.pk)]},
        answers_in=lambda t, lang: t.subscriber.language,
        state=lambda t: subscriber_state(t.subscriber),
        has_honeypot=False,
    ),
    PublicForm(
        "accept an invitation",
        url=lambda t, lang: path_only(invitations.accept_url(t.invited)),
        valid=lambda t, lang: {"language": "fr", "consent": "on"},
        answers_in=lambda t, lang: t.invited.language,
        state=lambda t: subscriber_state(t.invited),
        has_honeypot=False,
    ),
]


@pytest.fixture
def targets(db, request):
    """An event taking registrations (made only for the registration form: it takes
    a second), a subscriber and an invited contact."""
    form = request.node.callspec.params.get("form")
    country = CountryPage.objects.get(slug="rwanda", locale__language_code="en")
    person = {
        "consent_text_version": subscriptions.CONSENT_TEXT_VERSION,
        "consent_given_at": "2026-11-01T10:00:00Z",
    }
    return SimpleNamespace(
        event=make_event(slug="hostile-input-day", capacity=1000)
        if form is None or form.name == "register"
        else None,
        country=country,
        subscriber=Subscriber.objects.create(
            email="subscriber@example.org",
            language="nl",
            status=Subscriber.Status.CONFIRMED,
            **person,
        ),
        invited=Subscriber.objects.create(
            email="invited@example.org", language="fr", status=Subscriber.Status.INVITED, **person
        ),
    )


# --- What every answer respects -------------------------------------------------

SINGLE_LINE = {
    Subscriber: ("email", "consent_source"),
    Registration: ("name", "email", "organisation"),
    EventProposal: ("name", "email", "organisation"),
    EventPage: ("title", "slug", "venue_name", "venue_address", "city", "online_url"),
    Contribution: ("name",),
    Author: ("email",),
}


def assert_stored_text_is_clean():
    """Nothing stored holds a NUL byte, nor a line break or a character that would
    not display as typed (a bidi override…) in a one-line field (checked in Python:
    on PostgreSQL a NUL in a query raises)."""
    for model, fields in SINGLE_LINE.items():
        for row in model.objects.values_list(*fields):
            for value in row:
                assert not hidden_characters(value or ""), (model, row)
    for answers in PublicFormSubmission.objects.values_list("form_data", flat=True):
        assert "\\u0000" not in str(answers) and "\x00" not in str(answers), answers


def refused(response):
    """Whether the answer says the input was wrong: an error status, or the form
    shown again with errors next to its fields."""
    return response.status_code >= 400 or bool(field_errors(response))


def post_and_check(client, capture, form, targets, language, send):
    """Post with `send(client, url)`; check the answer and what was stored."""
    before, state = stored_rows(), form.state(targets)
    with capture(execute=True):
        response = send(client, form.url(targets, language))
    assert_sound(response, form.answers_in(targets, language))
    if refused(response):
        assert stored_rows() == before
        assert form.state(targets) == state
        assert mail.outbox == [], [m.subject for m in mail.outbox]
    assert_stored_text_is_clean()
    return response


# --- The tests --------------------------------------------------------------------

ENCODINGS = ("multipart", "urlencoded", "raw-percent", "raw-bytes", "raw-multipart", "charset")


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=repr)
@hostile_settings(max_examples=12)
@given(
    language=st.sampled_from(LANGUAGES),
    encoding=st.sampled_from(ENCODINGS),
    values=st.dictionaries(
        st.sampled_from(
            ["email", "name", "message", "advice", "title", "description", "city", "start"]
            + ["language", "countries", "consent", "source", "country", "topics", "website"]
            + ["organisation", "end", "online_url", "venue_name", "List-Unsubscribe"]
            + ["text", "parent"]
        ),
        hostile_text,
        min_size=1,
        max_size=3,
    ),
    raw=raw_bytes,
)
def test_hostile_values_never_break_a_form(
    client, targets, django_capture_on_commit_callbacks, form, language, encoding, values, raw
):
    fresh_example(client)
    data = {**form.valid(targets, language), **values}
    # The raw bytes replace the first hostile field.
    raw_field = next(iter(values))
    rest = {k: v for k, v in data.items() if k != raw_field}

    def send(client, url):
        match encoding:
            case "multipart":
                return client.post(url, data, **SAME_ORIGIN)
            case "urlencoded":
                return client.post(
                    url,
                    urlencoded(data),
                    content_type="application/x-www-form-urlencoded",
                    **SAME_ORIGIN,
                )
            case "raw-percent" | "raw-bytes":
                body = urlencoded(rest, {raw_field: raw}, percent=encoding == "raw-percent")
                return client.post(
                    url, body, content_type="application/x-www-form-urlencoded", **SAME_ORIGIN
                )
            case "raw-multipart":
                return client.post(
                    url,
                    multipart(rest, {raw_field: raw}),
                    content_type=f"multipart/form-data; boundary={BOUNDARY}",
                    **SAME_ORIGIN,
                )
            case "charset":
                body = urlencoded(rest, {raw_field: raw})
                charset = ["utf-16", "latin-1", "bogus", "utf-8\r\nX: y"][len(raw) % 4]
                # generic() sends the bytes as they are (post() would re-encode them).
                return client.generic(
                    "POST",
                    url,
                    body,
                    content_type=f"application/x-www-form-urlencoded; charset={charset}",
                    **SAME_ORIGIN,
                )

    response = post_and_check(
        client, django_capture_on_commit_callbacks, form, targets, language, send
    )
    if encoding in ("multipart", "urlencoded") and form.has_honeypot and data["website"].strip():
        # A filled-in honeypot looks like success and stores nothing.
        assert response.status_code < 400
        assert mail.outbox == []


EMAIL_FORMS = [
    f
    for f in FORMS
    if f.name
    in {"subscribe", "register", "propose an event", "contact", "call application", "discussion"}
]


@pytest.mark.django_db
@pytest.mark.parametrize("form", EMAIL_FORMS, ids=repr)
@hostile_settings(max_examples=8)
@given(language=st.sampled_from(LANGUAGES), email=hostile_email)
@example(language="fr", email="amina@example.org\r\nBcc: victim@example.org")
@example(language="nl", email="amina@example.org\x00")
@example(language="en", email=f"{SCRIPT}@example.org")
def test_an_address_that_is_not_one_is_refused_and_nothing_is_sent(
    client, targets, django_capture_on_commit_callbacks, form, language, email
):
    fresh_example(client)
    shape_broken = "@" not in email or any(c in email for c in "\x00\r\n<> ")
    data = {**form.valid(targets, language), "email": email}

    def send(client, url):
        return client.post(url, data, **SAME_ORIGIN)

    response = post_and_check(
        client, django_capture_on_commit_callbacks, form, targets, language, send
    )
    if shape_broken:
        assert refused(response), response.status_code


REQUIRED_TEXT = {  # a field each form cannot do without
    "register": "name",
    "propose an event": "title",
    "survey": "advice",
    "contact": "message",
    "call application": "name",
    "discussion": "text",
}


@pytest.mark.django_db
@pytest.mark.parametrize("form", [f for f in FORMS if f.name in REQUIRED_TEXT], ids=repr)
@hostile_settings(max_examples=6)
@given(
    language=st.sampled_from(LANGUAGES),
    blank=st.sampled_from(["", "   ", "\t\n\r\n", "\u00a0\u2003\u3000", "\x00", "nul\x00"]),
)
def test_a_required_field_left_blank_or_holding_a_nul_is_refused(
    client, targets, django_capture_on_commit_callbacks, form, language, blank
):
    fresh_example(client)
    data = {**form.valid(targets, language), REQUIRED_TEXT[form.name]: blank}

    def send(client, url):
        return client.post(url, data, **SAME_ORIGIN)

    response = post_and_check(
        client, django_capture_on_commit_callbacks, form, targets, language, send
    )
    assert refused(response), response.status_code
    assert field_errors(response)


CONSENT_MESSAGES = {
    "survey": "Please tick the box to agree, or we cannot take your form.",
    "accept an invitation": "Please tick the box to agree, or we cannot subscribe you.",
}


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("form", [f for f in FORMS if f.name != "preferences"], ids=repr)
def test_the_error_is_in_the_visitors_language(
    client, targets, django_capture_on_commit_callbacks, form, language
):
    """A sample: a script tag for an address (or a required answer left out), on the
    French and Dutch sites, is refused in French and Dutch."""
    data = {**form.valid(targets, language)}
    if form in EMAIL_FORMS:
        data["email"] = SCRIPT
        message = "Enter a valid email address."
    else:
        data.pop("consent")
        message = CONSENT_MESSAGES[form.name]

    def send(client, url):
        return client.post(url, data, **SAME_ORIGIN)

    answers_in = form.answers_in(targets, language)
    response = post_and_check(
        client, django_capture_on_commit_callbacks, form, targets, language, send
    )
    expected = in_language(answers_in, message)
    assert expected != in_language("en", message)  # translated
    errors = " ".join(field_errors(response))
    assert expected in errors, errors
    assert SCRIPT not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [f for f in FORMS if f.name in {"subscribe", "register", "survey", "preferences"}],
    ids=repr,
)
@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
def test_a_body_in_another_charset_is_refused_in_the_visitors_language(
    client, targets, django_capture_on_commit_callbacks, form, charset
):
    """Django refuses a urlencoded body that is not UTF-8 (BadRequest); the visitor
    reads why in their language, not Django's bare English page."""

    def send(client, url):
        return client.generic(
            "POST",
            url,
            urlencoded(form.valid(targets, "fr")),
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
            **SAME_ORIGIN,
        )

    response = post_and_check(client, django_capture_on_commit_callbacks, form, targets, "fr", send)
    assert response.status_code == 400
    language = form.answers_in(targets, "fr")
    title = in_language(language, "What you sent could not be read")
    assert title != "What you sent could not be read"
    assert title in response.content.decode()
