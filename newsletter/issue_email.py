"""A newsletter issue as an email: HTML with inlined CSS, a plain-text part, and
the per-subscriber links.

An issue is rendered once per language (`render_issue`); each subscriber's message
is then that rendering with their own signed links put in place of placeholders
(`IssueEmail.message_for`), so sending 10,000 messages renders the issue three times,
not 10,000 times.
"""

import re
import textwrap
import uuid
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage as MIMEMessage
from email.utils import formatdate, parseaddr
from functools import cache, cached_property

import css_inline
from django.conf import settings
from django.core.mail import EmailAlternative, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from inscriptis import get_text
from inscriptis.model.config import ParserConfig
from wagtail.models import Locale

from home.i18n import localize_stream
from home.models.translation_state import written_in_own_language
from home.text import one_line
from newsletter import subscriptions
from newsletter.smtp_prepared import dot_stuff
from newsletter.subscriptions import base_url

# Stand-ins for the links that differ per subscriber. Plain ASCII without characters
# that HTML escaping or CSS inlining would change.
PREFERENCES_PLACEHOLDER = "https://preferences.placeholder.invalid/"
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.placeholder.invalid/"

# Gmail clips messages whose HTML is larger than about 102 KB.
GMAIL_CLIP_BYTES = 102 * 1024

_RELATIVE_URL = re.compile(r'(\b(?:href|src)=")/(?!/)')


def absolutize(html):
    """Make every root-relative link and image address absolute: a mail client has
    no page address to resolve them against."""
    return _RELATIVE_URL.sub(rf"\1{base_url()}/", html)


@cache
def _inliner():
    # Media queries stay in a <style> tag (mail clients that understand them adapt the
    # layout to phones); everything else goes into style attributes. No stylesheet is
    # ever fetched from the network.
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def version_for(issue, language):
    """The version of `issue` a reader of `language` gets: its published translation,
    or the English (source) issue where that is missing or only an alias."""
    versions = {
        page.locale.language_code: page
        for page in written_in_own_language(issue.get_translations(inclusive=True).live())
        .select_related("locale")
        .specific()
    }
    default = Locale.get_default().language_code
    return versions.get(language) or versions.get(default) or issue


# The per-message parts of the prepared MIME template (see `IssueEmail.template`).
_TO = "recipient@placeholder.invalid"
_MESSAGE_ID = "<message-id@placeholder.invalid>"
_DATE = "Thu, 01 Jan 2026 00:00:00 +0000"
_MAILTO_TOKEN = "mailto-token-placeholder"  # noqa: S105 (not a secret)
_TOKEN = "TOKEN"  # noqa: S105 (stands for a link's token while its URL is resolved)
_HOLE = re.compile(
    b"("
    + b"|".join(
        re.escape(hole.encode())
        for hole in (
            _TO,
            _MESSAGE_ID,
            _DATE,
            _MAILTO_TOKEN,
            PREFERENCES_PLACEHOLDER,
            UNSUBSCRIBE_PLACEHOLDER,
        )
    )
    + b")"
)
# SMTP allows lines of at most 998 bytes; the message is sent as 8-bit text.
_MAX_LINE_BYTES = 960


class IssueMessage(EmailMultiAlternatives):
    """One subscriber's copy of an issue.

    It carries the usual attributes (subject, body, HTML alternative, headers), so
    any Django mail backend, django-anymail's included, sends it as usual. For the
    SMTP backend (which asks for `message(policy=email.policy.SMTP)`), `message()`
    returns the bytes prepared once per language with this subscriber's address and
    links put in: building a MIME message with Python's `email` package costs about
    5 ms, which would cap sending far below what one SMTP connection can carry.
    """

    def __init__(self, *args, raw, links, **kwargs):
        self._links = links  # (IssueEmail, preferences URL, unsubscribe URL)
        super().__init__(*args, **kwargs)
        self.raw = raw
        # The personalised text and HTML are read only by backends other than SMTP:
        # they are made on first use.
        self._body = self._alternatives = None

    @property
    def body(self):
        if self._body is None:
            issue_email, preferences, unsubscribe = self._links
            self._body = _personalise(issue_email.text, preferences, unsubscribe)
        return self._body

    @body.setter
    def body(self, value):
        self._body = value

    @property
    def alternatives(self):
        if self._alternatives is None:
            issue_email, preferences, unsubscribe = self._links
            html = _personalise(issue_email.html, preferences, unsubscribe)
            self._alternatives = [EmailAlternative(html, "text/html")]
        return self._alternatives

    @alternatives.setter
    def alternatives(self, value):
        self._alternatives = value

    def message(self, *, policy=email_policy.default):
        if policy is email_policy.SMTP:
            # What Django's SMTP backend asks for: it only needs the bytes to send.
            return _PreparedMIME(self.raw)
        return super().message(policy=policy)  # console, file, locmem backends


class _PreparedMIME:
    """What a mail backend reads from `EmailMessage.message()`: the bytes to send,
    and, for tests and inspection, the headers."""

    def __init__(self, raw):
        self.raw = raw

    def as_bytes(self, unixfrom=False, policy=None):
        return self.raw

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None):
        return self.raw.decode()

    def __getitem__(self, name):
        return message_from_bytes(self.raw, policy=email_policy.default)[name]


@dataclass
class IssueEmail:
    """One rendering of an issue for the readers of one language."""

    language: str
    subject: str
    html: str
    text: str

    @property
    def size(self):
        return len(self.html.encode())

    @cached_property
    def template(self):
        """The whole message as bytes with placeholders for what differs per
        subscriber, built once with Python's `email` package: multipart/alternative,
        both parts 8-bit UTF-8, so that the placeholders stay intact."""
        # No folding: a folded header could split a placeholder. The longest header,
        # List-Unsubscribe, stays far below SMTP's 998-byte line limit.
        mime = MIMEMessage(policy=email_policy.SMTP.clone(max_line_length=None))
        mime["Subject"] = self.subject
        mime["From"] = settings.DEFAULT_FROM_EMAIL
        mime["To"] = _TO
        mime["Date"] = _DATE
        mime["Message-ID"] = _MESSAGE_ID
        for name, value in list_headers(UNSUBSCRIBE_PLACEHOLDER, _MAILTO_TOKEN).items():
            mime[name] = value
        mime.set_content(_wrap(self.text, 78), cte="8bit")
        # A quarter of the limit in characters: UTF-8 takes up to 4 bytes each.
        mime.add_alternative(_wrap(self.html, _MAX_LINE_BYTES // 4), subtype="html", cte="8bit")
        return mime.as_bytes()

    def message_for(self, subscriber):
        """The message for one subscriber, with their own links and the RFC 8058
        unsubscribe headers."""
        personal = self._personal_parts(subscriber)
        token, preferences, unsubscribe, message_id = personal
        headers = {**list_headers(unsubscribe, token), "Message-ID": message_id}
        if not subscriber.email.isascii():
            # An internationalised address: let the backend build the message.
            return self._message(self.subject, subscriber.email, preferences, unsubscribe, headers)
        return IssueMessage(
            subject=self.subject,
            to=[subscriber.email],
            headers=headers,
            raw=self._fill(self._raw_parts, subscriber, *personal),
            links=(self, preferences, unsubscribe),
        )

    def smtp_data(self, subscriber, signer=None):
        """What follows DATA for one subscriber (`smtp_prepared.send_prepared`), and
        its size before the dot quoting; None for an internationalised address.
        The same bytes as `message_for(subscriber)`'s, quoted, without building the
        message object: the SMTP path; a DKIM `signer`'s signature goes on top."""
        if not subscriber.email.isascii():
            return None
        personal = (*self._personal_parts(subscriber), formatdate())
        data = self._fill(self._stuffed_parts, subscriber, *personal)
        size = len(data) - self._stuffing
        if signer is None:
            return data, size
        # Signed before the quoting; no line of a signature starts with a dot.
        signature = signer.signature(self._fill(self._raw_parts, subscriber, *personal))
        return signature + data, size + len(signature)

    def _personal_parts(self, subscriber):
        """(unsubscribe token, preferences URL, unsubscribe URL, Message-ID)."""
        unsubscribe_signer, preferences_signer = self._signers
        token = unsubscribe_signer.token(subscriber.pk, subscriber.email)
        unsubscribe = self._link(subscriber, "newsletter:unsubscribe", token)
        preferences = self._link(
            subscriber,
            "newsletter:preferences",
            preferences_signer.token(subscriber.pk, subscriber.email),
        )
        return token, preferences, unsubscribe, f"<{uuid.uuid4().hex}@{_domain()}>"

    @cached_property
    def _signers(self):
        return subscriptions.link_signers()

    def _link(self, subscriber, name, token):
        """`subscriptions.personal_url(subscriber, name, token)`, the URL resolved once
        per language and name rather than for every message."""
        key = (subscriber.language, name)
        if key not in self._link_frames:
            url = subscriptions.personal_url(subscriber, name, _TOKEN)
            self._link_frames[key] = url.split(_TOKEN)
        before, after = self._link_frames[key]
        return before + token + after

    @staticmethod
    def _fill(parts, subscriber, token, preferences, unsubscribe, message_id, date=None):
        """The template's `parts` (see `_split`) with this subscriber's values."""
        values = {
            _TO: subscriber.email.encode(),
            _MESSAGE_ID: message_id.encode(),
            _DATE: (date or formatdate()).encode(),
            _MAILTO_TOKEN: token.encode(),
            PREFERENCES_PLACEHOLDER: preferences.encode(),
            UNSUBSCRIBE_PLACEHOLDER: unsubscribe.encode(),
        }
        literals, holes = parts
        filled = [b""] * (len(literals) + len(holes))
        filled[0::2] = literals
        filled[1::2] = [values[hole] for hole in holes]
        return b"".join(filled)

    @cached_property
    def _link_frames(self):
        return {}  # (language, URL name): the URL before and after the token

    @cached_property
    def _raw_parts(self):
        return _split(self.template)

    @cached_property
    def _stuffed_parts(self):
        # No personal part starts a line, nor holds a line break: quoting the
        # template's dots once is quoting every message's.
        return _split(dot_stuff(self.template))

    @cached_property
    def _stuffing(self):
        """How many bytes the quoting adds (doubled dots, the final dot line)."""
        return len(dot_stuff(self.template)) - len(self.template)

    def sample_message(self, to):
        """A test message for staff: the links point at the subscribe page instead of
        anyone's preferences (a staff address need not be on the list)."""
        with translation.override(self.language):
            subscribe = base_url() + reverse("newsletter:subscribe")
            subject = gettext("[Test] %(subject)s") % {"subject": self.subject}
        return self._message(subject, to, subscribe, subscribe)

    def _message(self, subject, to, preferences, unsubscribe, headers=None):
        """A message built by the mail backend the usual way."""
        message = EmailMultiAlternatives(
            subject=subject,
            body=_personalise(self.text, preferences, unsubscribe),
            to=[to],
            headers=headers,
        )
        message.attach_alternative(_personalise(self.html, preferences, unsubscribe), "text/html")
        return message


def _split(template):
    """`template` as (literal parts, placeholders between them), the placeholders as
    the str keys of `IssueEmail._fill`'s values."""
    parts = _HOLE.split(template)
    return parts[0::2], [hole.decode() for hole in parts[1::2]]


@cache
def _domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def _wrap(text, width):
    """Break lines longer than `width` at white space. SMTP refuses lines over 998
    bytes; in HTML a line break is white space like any other, and plain text reads
    better at 78 characters."""
    lines = []
    for line in text.splitlines():
        lines.extend(
            textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
        )
    return "\n".join(lines) + "\n"


def list_headers(unsubscribe_url, token):
    """`List-Unsubscribe` with an https and a mailto address, and the RFC 8058
    one-click marker: a POST to the https address unsubscribes."""
    mailto = settings.NEWSLETTER["UNSUBSCRIBE_MAILTO"]
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>, <mailto:{mailto}?subject=unsubscribe%20{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _personalise(text, preferences_url, unsubscribe_url):
    return text.replace(PREFERENCES_PLACEHOLDER, preferences_url).replace(
        UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url
    )


# inscriptis turns no-break spaces into plain ones: French typography's U+00A0 and
# U+202F (before : ; ! ?) cross it as private-use stand-ins.
_NO_BREAK = {"\u00a0": "\ue0a0", "\u202f": "\ue02f"}


def _text_of(html):
    html = html.replace("&nbsp;", "\u00a0").replace("&#8239;", "\u202f")
    for space, stand_in in _NO_BREAK.items():
        html = html.replace(space, stand_in)
    text = get_text(html, ParserConfig(display_links=True))
    for space, stand_in in _NO_BREAK.items():
        text = text.replace(stand_in, space)
    return text


def render_issue(page, language):
    """Render `page` (one language version of an issue, possibly a draft being
    previewed) as an email for readers of `language`.

    The frame (greeting, footer, links) is in the reader's language; the content is
    the page's. Where they differ (no translation yet), the email says so.
    """
    localize_stream(page.body, page.locale_id)
    with translation.override(language):
        context = {
            "page": page,
            "language": language,
            "content_language": page.locale.language_code,
            "web_url": page.full_url or "",
            "base_url": base_url(),
            "preferences_url": PREFERENCES_PLACEHOLDER,
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        }
        content = absolutize(render_to_string("newsletter/email/_content.html", context))
        # The text part is made from the content alone: the layout tables around it
        # would come out as columns of spaces.
        content_text = _text_of(content)
        context["content_text"] = "\n".join(line.strip() for line in content_text.splitlines())
        context["content_html"] = mark_safe(content)  # noqa: S308 (rendered by our templates)
        html = render_to_string("newsletter/email/issue.html", context)
        html = _inliner().inline(absolutize(html))
        text = render_to_string("newsletter/email/issue.txt", context)
        subject = page.title
    return IssueEmail(language=language, subject=one_line(subject), html=html, text=text)
