"""The suppression list: erased addresses are never mailed again by bulk or
staff-initiated mail (newsletter issues, invitations, event reminders and date
announcements), and an import of the old list does not bring them back.

What is kept is an HMAC-SHA256 of the address (lower-cased, stripped), keyed with
SECRET_KEY under a fixed salt, and the date: enough to recognise the address when
it comes back, not enough to read it, nor to test guesses without the key. A hash
made with a key now in SECRET_KEY_FALLBACKS is still recognised, so rotating the
key does not empty the list (keep the old key among the fallbacks).

A person's own fresh request is allowed: subscribing again through the public form
sends the confirmation email, and following its link (proof that the person holds
the address) confirms the subscription and lifts the suppression
(the newsletter calls `lift` then). A registration for an event, a form answer or
a proposal proves nothing about who holds the address: they get the answer to
that request (a registration's confirmation, a place freed for them), but the
address stays suppressed for reminders and announcements.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac

from privacy.models import SuppressedAddress

KEY_SALT = "privacy.suppression.address"


def normalise(email):
    return (email or "").strip().lower()


def address_digest(email, secret=None):
    """The hash stored for `email` (with the current SECRET_KEY, or `secret`)."""
    return salted_hmac(KEY_SALT, normalise(email), secret=secret, algorithm="sha256").hexdigest()


def _all_digests(email):
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    return [address_digest(email, secret) for secret in secrets]


def suppress(email):
    """Add `email` to the list (once). Returns the entry."""
    entry, _created = SuppressedAddress.objects.get_or_create(digest=address_digest(email))
    return entry


def lift(email):
    """Take `email` off the list (its holder asked again). Returns whether it was on it."""
    return bool(SuppressedAddress.objects.filter(digest__in=_all_digests(email)).delete()[0])


def is_suppressed(email):
    return SuppressedAddress.objects.filter(digest__in=_all_digests(email)).exists()


def suppressed_on(email):
    """The date `email` was suppressed, or None."""
    return (
        SuppressedAddress.objects.filter(digest__in=_all_digests(email))
        .values_list("suppressed_on", flat=True)
        .first()
    )


class Suppressed:
    """The list read once, to check many addresses (`email in suppressed`) with one
    query. While the list is empty, checking costs nothing."""

    def __init__(self):
        self.digests = set(SuppressedAddress.objects.values_list("digest", flat=True))

    def __contains__(self, email):
        if not self.digests:
            return False
        return any(digest in self.digests for digest in _all_digests(email))
