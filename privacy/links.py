"""Personal links that carry no personal data (docs/production.md, "One person's data").

A link's token is either random (only its SHA-256 is stored, `random_token`), or a
signature over a row's id and a short keyed digest of the address the link was
made for (`signed_token`): the address cannot be read from it, and a link made
for an address keeps no power over another one that later gets the same id.
Both the signature (Django's signer) and the digest are checked against
SECRET_KEY and every key in SECRET_KEY_FALLBACKS, so rotating the key keeps the
links already sent working while the old key stays among the fallbacks.
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes

from privacy.suppression import normalise

# 64 bits: enough to tell addresses apart; the signature protects the token.
DIGEST_CHARS = 16


def email_digest(email, salt, secret=None):
    """A short keyed digest of `email`, for the links signed under `salt`."""
    value = salted_hmac(f"{salt}.address", normalise(email), secret=secret, algorithm="sha256")
    return value.hexdigest()[:DIGEST_CHARS]


def _digest_matches(email, salt, digest):
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    return any(constant_time_compare(email_digest(email, salt, key), digest) for key in keys)


def signed_token(pk, email, salt):
    """A token for row `pk`, made for `email`, for the purpose `salt`."""
    return signing.dumps([pk, email_digest(email, salt)], salt=salt)


class LinkSigner:
    """`signed_token(pk, email, salt)` for many rows: the same tokens, with the two
    HMAC keys derived from SECRET_KEY once rather than for every token (Django's
    signer and `salted_hmac` derive them each time: two thirds of what signing a
    token costs, and a newsletter signs two links per message)."""

    def __init__(self, salt):
        self.salt = salt
        # What salted_hmac(key_salt, value, algorithm="sha256") keys its HMAC with,
        # for the address digest and for the signer's signature.
        self._digest = _hmac_for(f"{salt}.address")
        self._signature = _hmac_for(f"{salt}signer")

    def token(self, pk, email):
        digest = self._mac(self._digest, normalise(email)).hexdigest()[:DIGEST_CHARS]
        # signing.dumps: compact JSON (for a whole number and a hex digest, exactly
        # this), base64 without padding, then TimestampSigner's value and signature.
        payload = f'[{int(pk)},"{digest}"]'.encode()
        value = f"{signing.b64_encode(payload).decode()}:{signing.b62_encode(int(time.time()))}"
        signature = signing.b64_encode(self._mac(self._signature, value).digest()).decode()
        return f"{value}:{signature}"

    def __reduce__(self):
        # Copied or pickled (a message holding one, in the test mail outbox) as its
        # salt: HMAC objects cannot be.
        return (LinkSigner, (self.salt,))

    @staticmethod
    def _mac(keyed, value):
        mac = keyed.copy()
        mac.update(value.encode())
        return mac


def _hmac_for(key_salt):
    key = hashlib.sha256(key_salt.encode() + force_bytes(settings.SECRET_KEY)).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def unsign(token, salt, max_age=None):
    """(pk, digest) from a token, or None if it is forged, malformed or expired."""
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(value, list) and len(value) == 2):
        return None
    pk, digest = value
    if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(digest, str):
        return None
    return pk, digest


def object_from_token(queryset, token, salt, max_age=None, email_field="email"):
    """The row of `queryset` the token was made for, or None if the token is
    forged or expired, or the row is gone or now holds another address."""
    unsigned = unsign(token, salt, max_age=max_age)
    if unsigned is None:
        return None
    pk, digest = unsigned
    row = queryset.filter(pk=pk).first()
    if row is None or not _digest_matches(getattr(row, email_field), salt, digest):
        return None
    return row


def random_token():
    """A new random token and the digest to store for it."""
    token = secrets.token_urlsafe(32)
    return token, random_token_digest(token)


def random_token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()
