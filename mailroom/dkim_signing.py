"""DKIM signatures on the site's outgoing mail (dkimpy), when a key is configured.

Settings: DKIM_PRIVATE_KEY (the path of a PEM RSA private key),
DKIM_SELECTOR, and DKIM_DOMAIN (the d= domain; the domain of DEFAULT_FROM_EMAIL
when empty). Without a key, nothing is signed (the MTA may sign instead, e.g.
OpenDKIM: docs/production.md, "Mail").

The signature covers the headers that say who sent what to whom and how to leave
the list, and the MIME headers; relaxed/relaxed canonicalisation, so that a relay
that refolds a header or changes trailing spaces does not break it.
"""

from email.utils import parseaddr
from functools import cache
from pathlib import Path

import dkim
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNED_HEADERS = (
    b"From",
    b"To",
    b"Cc",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"Reply-To",
    b"In-Reply-To",
    b"References",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
    b"MIME-Version",
    b"Content-Type",
    b"Content-Transfer-Encoding",
)
CANONICALIZE = (b"relaxed", b"relaxed")


class Signer:
    """Signs messages for one selector and domain with one private key."""

    def __init__(self, private_key, selector, domain):
        self.private_key = private_key
        self.selector = selector.encode("ascii")
        self.domain = domain.encode("ascii")

    def signature(self, raw):
        """The `DKIM-Signature:` header (bytes ending with CRLF) for the message
        `raw` (bytes with CRLF line ends)."""
        return dkim.sign(
            raw,
            self.selector,
            self.domain,
            self.private_key,
            include_headers=[name for name in SIGNED_HEADERS if _has_header(raw, name)],
            canonicalize=CANONICALIZE,
            linesep=b"\r\n",
        )

    def sign(self, raw):
        """`raw` with its signature on top."""
        return self.signature(raw) + raw


def _has_header(raw, name):
    head = raw.split(b"\r\n\r\n", 1)[0].lower()
    lowered = name.lower() + b":"
    return head.startswith(lowered) or b"\n" + lowered in head


@cache
def _configured(path, selector, domain):
    try:
        private_key = Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"DKIM_PRIVATE_KEY cannot be read: {error}") from error
    return Signer(private_key, selector, domain)


def signer():
    """The site's Signer, or None when no key is configured."""
    path = getattr(settings, "DKIM_PRIVATE_KEY", "")
    if not path:
        return None
    selector = getattr(settings, "DKIM_SELECTOR", "")
    if not selector:
        raise ImproperlyConfigured("DKIM_PRIVATE_KEY is set but DKIM_SELECTOR is not.")
    domain = getattr(settings, "DKIM_DOMAIN", "") or from_domain()
    return _configured(str(path), selector, domain)


def from_domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
