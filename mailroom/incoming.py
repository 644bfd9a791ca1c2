"""What a message arriving in the site's mailbox is: a delivery report (a bounce,
hard or soft), a complaint, an unsubscribe request, or something for a person.

Only signed tokens say whom a message is about, never the addresses it names
(anyone can send a report naming anyone): the VERP address it came back to
(`verp`), found in the headers the receiving server added (Delivered-To,
X-Original-To, …) or, for a complaint, in the returned message's Return-Path; and
an unsubscribe token, in the subject of a request or in the List-Unsubscribe
header of the message a complaint returns.

Hard or soft is read from the report's per-recipient Status (RFC 3464): 5.x.x is
hard, 4.x.x soft, and X.2.2 (mailbox full) always soft, since Gmail reports it as
5.2.2 and a full mailbox is no reason to drop a reader. Reports that are not RFC
3464 (old Exim, qmail, Microsoft's text ones) are read by flufl.bounce's detectors.
A message that came back to a VERP address, looks like a bounce (from a mailer
daemon or postmaster, or a bounce's subject) and cannot be read any further counts
as hard, as Mailman counts VERP bounces; an auto-reply never does.
"""

import email
import email.policy
import logging
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header

from flufl.bounce import all_failures

from mailroom import verp

# flufl.bounce logs each of its ~30 detectors at INFO, and a detector that fails on
# an odd message with its traceback at ERROR (which would mail the admins) before
# raising: `_bounce_severity` handles that failure itself.
logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)

#: Wagtail hook: each function registered under this name gets an `Incoming` and
#: returns what it did (a few words: "bounced", "unsubscribed"…), or None when the
#: message is not its own (`manage.py process_mail`).
HANDLER_HOOK = "register_incoming_mail_handler"

BOUNCE = "bounce"
COMPLAINT = "complaint"
UNSUBSCRIBE = "unsubscribe"
OTHER = "other"

# The headers in which a receiving server records the address a message came to.
ADDRESSED_HEADERS = (
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "X-Envelope-To",
    "X-Original-Recipient",
    "To",
    "Cc",
)
_STATUS = re.compile(r"\s*([245])\.(\d{1,3})\.(\d{1,3})")
_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery (sub)?system", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|returned mail|delivery (status notification|failure|has failed)|"
    r"failure notice|mail delivery failed|non.?delivery|delivery report",
    re.IGNORECASE,
)
_UNSUBSCRIBE_SUBJECT = re.compile(r"\s*unsubscribe\s+(\S{1,200})\s*\Z", re.IGNORECASE)
_LIST_UNSUBSCRIBE_TOKEN = re.compile(r"subject=unsubscribe(?:%20|\+|\s)+([^>\s&,]{1,200})", re.I)


@dataclass
class Incoming:
    kind: str
    # A bounce: True when hard (the address does not work), False when soft.
    permanent: bool = False
    # (kind, pk) from a VERP address, or None.
    verp: tuple | None = None
    # Unsubscribe tokens: the request's, or those of the message a complaint returns.
    tokens: list = field(default_factory=list)


def read(raw):
    """An Incoming for the bytes of one message."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    addressed = verp.find_in(" ".join(_all(message, ADDRESSED_HEADERS)))
    report_type = (message.get_param("report-type") or "").lower()
    if message.get_content_type() == "multipart/report" and report_type == "feedback-report":
        returned = _returned_text(message)
        return Incoming(
            COMPLAINT,
            verp=verp.find_in(returned) or addressed,
            tokens=_LIST_UNSUBSCRIBE_TOKEN.findall(returned),
        )
    permanent = _bounce_severity(message, addressed)
    # flufl.bounce's looser detectors can read a person's message as a bounce: one
    # that came to no VERP address must also look like one to count.
    if permanent is not None and (addressed or _looks_like_a_bounce(message)):
        return Incoming(BOUNCE, permanent=permanent, verp=addressed)
    match = _UNSUBSCRIBE_SUBJECT.match(_subject(message))
    if match:
        return Incoming(UNSUBSCRIBE, tokens=[match.group(1)])
    return Incoming(OTHER, verp=addressed)


def _bounce_severity(message, addressed):
    """True (hard), False (soft), or None when the message is no bounce."""
    # Wherever the report is (some servers wrap it in a multipart/mixed).
    severities = [_severity(block) for block in _recipient_blocks(message)]
    if any(severities):
        return True
    if any(severity is False for severity in severities):
        return False
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # noqa: BLE001 (a detector failing on an odd message)
        temporary = permanent = ()
    if permanent:
        return True
    if temporary:
        return False
    if addressed and _looks_like_a_bounce(message):
        return True
    return None


def _severity(block):
    """True (hard), False (soft) or None (no usable status) for one recipient of a
    delivery status report."""
    action = (block.get("Action") or "").strip().lower()
    status = _STATUS.match(block.get("Status") or "")
    if action.startswith(("delayed", "delivered", "relayed", "expanded")):
        return False if action.startswith("delayed") else None
    if not status:
        return None
    code, subject, detail = status.groups()
    if code == "2":
        return None
    return code == "5" and (subject, detail) != ("2", "2")


def _recipient_blocks(message):
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):  # the per-message block, then one per recipient
                yield from (block for block in payload[1:] if block.get("Status"))


def _looks_like_a_bounce(message):
    if message.get("Auto-Submitted", "no").strip().lower() != "no" and not _DAEMON.search(
        message.get("From", "")
    ):
        return False  # an auto-reply (RFC 3834), not a report
    return bool(
        message.get_content_type() == "multipart/report"
        or _DAEMON.search(message.get("From", ""))
        or _BOUNCE_SUBJECT.search(_subject(message))
    )


def _returned_text(message):
    """The returned message's headers (and text) a feedback report carries."""
    texts = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload(decode=content_type.startswith("text/"))
            if isinstance(payload, list):
                texts.extend(str(inner) for inner in payload)
            elif isinstance(payload, bytes):
                texts.append(payload.decode("utf-8", "replace"))
            elif payload:
                texts.append(str(payload))
    return "\n".join(texts)


def _all(message, names):
    return [str(value) for name in names for value in (message.get_all(name) or [])]


def _subject(message):
    try:
        return str(make_header(decode_header(message.get("Subject", ""))))
    except (LookupError, UnicodeError, ValueError):
        return str(message.get("Subject", ""))
