"""Envelope senders (Return-Path) that say which message came back, without
personal data (VERP): `bounces+d4f2-<signature>@example.org` for the message of
row 4f2 (base 36) of the kind `d`.

Mail servers send delivery reports, and some auto-replies, to the envelope sender.
With MAIL_BOUNCE_ADDRESS set, every message the site sends has that address as its
envelope sender, and a message that is about one row (a newsletter delivery) has
the row's own address: the report then names the row even when its body cannot be
read. The signature (an HMAC keyed with SECRET_KEY, Django's `salted_hmac`; keys in
SECRET_KEY_FALLBACKS are still accepted) makes the addresses impossible to forge,
so that nobody can have a subscriber removed by sending a report about them.

The token is lower case (some servers lower-case an address's local part) and short
(a local part holds at most 64 characters).
"""

import base64
import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "mailroom.verp"
SIGNATURE_BYTES = 10  # 80 bits
_TOKEN = re.compile(r"([a-z])([0-9a-z]{1,13})-([a-z2-7]{16})\Z")


def bounce_address():
    """The plain envelope sender of the site's mail, or "" when none is set (the
    sender is then the From address, as Django does)."""
    return (getattr(settings, "MAIL_BOUNCE_ADDRESS", "") or "").strip()


def _signature(kind, number, secret=None):
    mac = salted_hmac(SALT, f"{kind}{number}", secret=secret, algorithm="sha256").digest()
    return base64.b32encode(mac[:SIGNATURE_BYTES]).decode().lower()


def _base36(number):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def token(kind, pk):
    """The signed token of row `pk` of `kind` (one lower-case letter)."""
    number = _base36(int(pk))
    return f"{kind}{number}-{_signature(kind, number)}"


def envelope_sender(kind, pk):
    """The envelope sender of a message about row `pk` of `kind`; the plain bounce
    address (or "") when no bounce address is set."""
    address = bounce_address()
    if not address:
        return ""
    local, _at, domain = address.rpartition("@")
    return f"{local}+{token(kind, pk)}@{domain}"


def parse_token(text):
    """(kind, pk) from a token, or None if it is malformed or its signature wrong."""
    match = _TOKEN.match((text or "").strip().lower())
    if not match:
        return None
    kind, number, signature = match.groups()
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    if not any(
        constant_time_compare(_signature(kind, number, secret), signature) for secret in secrets
    ):
        return None
    return kind, int(number, 36)


def parse_address(address):
    """(kind, pk) from an envelope sender made by `envelope_sender`, or None."""
    local = (address or "").strip().strip("<>").rpartition("@")[0]
    if "+" not in local:
        return None
    return parse_token(local.rpartition("+")[2])


_ADDRESS_TOKEN = re.compile(r"\+([a-z][0-9a-z]{1,13}-[a-z2-7]{16})@", re.IGNORECASE)


def find_in(text):
    """The first valid (kind, pk) named by an address in `text`, or None."""
    for candidate in _ADDRESS_TOKEN.findall(text or ""):
        found = parse_token(candidate)
        if found:
            return found
    return None
