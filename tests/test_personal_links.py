"""No personal data in any URL: every personal email is sent, every URL of its body
and headers is decoded segment by segment in every encoding a token might use,
and neither the address nor the name appears. The links keep working when
SECRET_KEY is rotated (the old key among SECRET_KEY_FALLBACKS), and a link made
for one address has no power once the row holds another."""

import base64
import zlib
from email import message_from_bytes
from email import policy as email_policy
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from events import registering
from events.cancel_links import cancel_token, registration_from_cancel_token
from events.models import Registration
from events.registration_emails import KINDS, registration_message
from newsletter import invitations, subscriptions
from newsletter.issue_email import render_issue, version_for
from newsletter.models import NewsletterIssuePage, Subscriber
from newsletter.welcome import welcome_message
from privacy.masking import mask_email
from tests.events.factories import make_event
from tests.personal_links import personal_data_in, press_the_button, urls_in

ADDRESS = "amina.diallo@example.org"
NAME = "Amina Diallo"
SECRETS = [ADDRESS, NAME, "amina.diallo", "Diallo"]
OLD_KEY = "an-old-secret-key-" + "x" * 40
NEW_KEY = "a-new-secret-key-" + "y" * 40


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def everything_in(message):
    """The text of a message in which URLs can appear: its body and alternatives,
    and every header of the message as the backend builds it."""
    texts = [message.body, *(alternative[0] for alternative in message.alternatives)]
    built = message_from_bytes(
        message.message(policy=email_policy.SMTP).as_bytes(), policy=email_policy.default
    )
    texts += [str(value) for _name, value in built.items()]
    texts += [f"{name}: {value}" for name, value in message.extra_headers.items()]
    return "\n".join(texts)


def assert_no_personal_data(message):
    text = everything_in(message)
    urls = urls_in(text) + [
        # The mailto: of List-Unsubscribe is a URL too.
        part.strip("<> ")
        for part in message.extra_headers.get("List-Unsubscribe", "").split(",")
    ]
    personal = [url for url in urls if "/newsletter/" in url or "/events/" in url]
    assert personal, "the message holds personal links"
    for url in urls:
        assert not personal_data_in(url, SECRETS), url
    return personal


# --- The decoder finds what the old links carried -----------------------------------


ENCODINGS = {
    "old token, base64 of JSON": lambda: signing.dumps([42, ADDRESS]),
    "Django's '.'-prefixed zlib form": lambda: signing.dumps([42, ADDRESS], compress=True),
    "a name in signed JSON": lambda: signing.dumps({"name": NAME, "id": 7}, salt="x"),
    "base64 off by one": lambda: (
        "x" + base64.urlsafe_b64encode(b"." + ADDRESS.encode()).decode().rstrip("=")
    ),
    "base64 off by two": lambda: (
        "ab" + base64.urlsafe_b64encode(b"to:" + ADDRESS.encode()).decode()
    ),
    "hex": lambda: ADDRESS.encode().hex(),
    "percent-encoded address": lambda: quote(ADDRESS, safe=""),
    "percent-encoded name": lambda: quote(NAME),
    "compressed lower-case name": lambda: (
        "." + base64.urlsafe_b64encode(zlib.compress(NAME.lower().encode())).decode()
    ),
}


# Ids are names, not tokens: a signed token holds the time, and pytest-xdist's
# workers must collect the same tests.
@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_the_decoder_finds_an_address_or_a_name_in_any_encoding(encoding):
    token = ENCODINGS[encoding]()
    url = f"http://testserver/en/newsletter/unsubscribe/{token}/?x=1"
    assert personal_data_in(url, SECRETS)


# --- Every personal email -------------------------------------------------------------


@pytest.mark.django_db
def test_no_personal_email_carries_the_address_or_the_name_in_any_url(
    django_capture_on_commit_callbacks,
):
    messages = {}
    # The subscription confirmation.
    subscriptions.subscribe(email=ADDRESS, language="fr", countries=[], source="/fr/")
    (messages["confirmation"],) = mail.outbox

    # The invitation of an imported contact.
    mail.outbox.clear()
    invited = Subscriber.objects.create(
        email="diallo.amina@example.org", language="nl", status=Subscriber.Status.INVITED
    )
    messages["invitation"] = invitations.invitation_message(invited)

    # An issue, with its List-Unsubscribe headers, as the SMTP backend builds it
    # and as other backends do.
    reader = Subscriber.objects.get(email=ADDRESS)
    Subscriber.objects.filter(pk=reader.pk).update(status=Subscriber.Status.CONFIRMED)
    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    issue_message = render_issue(version_for(issue, "fr"), "fr").message_for(reader)
    assert issue_message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    messages["issue"] = issue_message
    messages["welcome"] = welcome_message(reader)
    raw = issue_message.message(policy=email_policy.SMTP).as_bytes().decode()
    assert "List-Unsubscribe" in raw
    for url in urls_in(raw):
        assert not personal_data_in(url, SECRETS), url

    # The registration emails: a place, the waiting list, a place freed, the date
    # announced, the reminder.
    pages = make_event(capacity=1, start=None)
    person = {"organisation": "", "diaspora_member": True, "language": "fr"}
    with django_capture_on_commit_callbacks(execute=True):
        registering.register(pages["fr"], name="Paul Martin", email="paul@example.org", **person)
        _outcome, waiting = registering.register(pages["fr"], name=NAME, email=ADDRESS, **person)
    assert waiting.status == Registration.Status.WAITLISTED
    messages["waitlisted"] = next(m for m in mail.outbox if m.to == [ADDRESS])
    for kind in KINDS:
        messages[kind] = registration_message(waiting, kind)
    mail.outbox.clear()
    first = Registration.objects.get(email="paul@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registering.cancel(first.pk)  # the place goes to Amina
    messages["promoted (sent)"] = next(m for m in mail.outbox if m.to == [ADDRESS])

    for kind, message in messages.items():
        assert message is not None, kind
        assert ADDRESS in message.to or message.to == ["diallo.amina@example.org"], kind
        assert_no_personal_data(message)


@pytest.mark.django_db
def test_pages_opened_from_a_link_show_the_address_masked(client):
    assert mask_email("amina.diallo@example.org") == "a•••@example.org"
    assert mask_email("") == "•••"
    subscriptions.subscribe(email=ADDRESS, language="en", countries=[], source="/en/")
    subscriber = Subscriber.objects.get()
    confirm_path = urls_in(mail.outbox[0].body)[0].removeprefix("http://testserver")
    page, _answer = press_the_button(confirm_path)
    paths = [
        confirm_path,
        subscriptions.unsubscribe_url(subscriber),
        subscriptions.preferences_url(subscriber),
    ]
    Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.INVITED)
    paths.append(invitations.accept_url(subscriber))
    for path in paths[1:]:
        page = client.get(path.removeprefix("http://testserver"))
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
        text = page.content.decode()
        assert "a•••@example.org" in text, path
        assert "amina" not in text.lower().replace("a•••", ""), path


# --- Key rotation --------------------------------------------------------------------


def amina_registered():
    _outcome, registration = registering.register(
        make_event(capacity=5)["en"],
        name=NAME,
        email=ADDRESS,
        organisation="",
        diaspora_member=False,
        language="en",
    )
    return registration


def make_tokens(subscriber, invited, registration):
    """The token of every link that does not expire, made with the current key."""
    return {
        "unsubscribe": subscriptions.unsubscribe_token(subscriber),
        "preferences": subscriptions.preferences_token(subscriber),
        "invitation": invitations.invitation_token(invited),
        "cancel": cancel_token(registration),
    }


@pytest.mark.django_db
def test_links_made_before_the_key_is_rotated_keep_working(client):
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        subscriber = Subscriber.objects.create(
            email=ADDRESS, language="en", status=Subscriber.Status.CONFIRMED
        )
        invited = Subscriber.objects.create(
            email="invited@example.org", language="en", status=Subscriber.Status.INVITED
        )
        registration = amina_registered()
        old = make_tokens(subscriber, invited, registration)

    def resolve(tokens):
        return {
            "unsubscribe": subscriptions.subscriber_from_unsubscribe_token(tokens["unsubscribe"]),
            "preferences": subscriptions.subscriber_from_preferences_token(tokens["preferences"]),
            "invitation": invitations.subscriber_from_invitation_token(tokens["invitation"]),
            "cancel": registration_from_cancel_token(tokens["cancel"]),
        }

    expected = {
        "unsubscribe": subscriber,
        "preferences": subscriber,
        "invitation": invited,
        "cancel": registration,
    }
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert resolve(old) == expected
        new = make_tokens(subscriber, invited, registration)
        assert new != old
        assert resolve(new) == expected
        # Through the views too: the cancel page and the one-click unsubscribe.
        assert client.get(f"/en/events/registration/{old['cancel']}/cancel/").status_code == 200
        response = client.post(f"/en/newsletter/unsubscribe/{old['unsubscribe']}/")
        assert response.status_code == 200
    # Once the old key is dropped, its links stop working; the new ones go on.
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        assert set(resolve(old).values()) == {None}
        assert resolve(new) == expected


@pytest.mark.django_db
def test_a_cancel_link_binds_the_registration_and_its_address(client):
    registration = amina_registered()
    token = cancel_token(registration)
    assert registration_from_cancel_token(token) == registration
    # The same id holding another address (the row replaced after an erasure, say).
    Registration.objects.filter(pk=registration.pk).update(email="someone.else@example.org")
    response = client.post(f"/en/events/registration/{token}/cancel/")
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.status_changed_at <= timezone.now()
