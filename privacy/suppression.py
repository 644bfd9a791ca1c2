"""The suppression list: erased and opted-out addresses are never mailed again by
bulk or staff-initiated mail (newsletter issues, invitations; event reminders and
date announcements for erased addresses), and an import of the old list does not
bring them back.

What is kept is an HMAC-SHA256 of the address (lower-cased, stripped), keyed with
SECRET_KEY under a fixed salt, the date and the reason: enough to recognise the
address when it comes back, not enough to read it, nor to test guesses without the
key. A hash made with a key now in SECRET_KEY_FALLBACKS is still recognised, so
rotating the key does not empty the list (keep the old key among the fallbacks).

Reasons, from the mildest to the strictest: unsubscribed, erased, bounced,
complained. An entry keeps the strictest reason it was given, so that erasing a
complained address does not soften it. The newsletter records an opt-out when the
status is set, so that it outlives the subscriber's row.

A person's own fresh request is allowed for an unsubscribed or erased address:
subscribing again through the public form sends the confirmation email, and
confirming (proof that the person holds the address) lifts the suppression (the
newsletter calls `lift` then). A bounced or complained address gets no email from
a form anyone can fill in (`blocks_public_requests`); staff lift it only by
recording the person's new consent. A registration for an event, a form answer or
a proposal proves nothing about who holds the address: they get the answer to
that request, but an erased address stays suppressed for reminders and
announcements.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac

from privacy.models import SuppressedAddress

KEY_SALT = "privacy.suppression.address"
Reason = SuppressedAddress.Reason
_STRICTNESS = [Reason.UNSUBSCRIBED, Reason.ERASED, Reason.BOUNCED, Reason.COMPLAINED]
# Reasons after which no email goes out on a request anyone could have typed.
BLOCKING_REASONS = (Reason.BOUNCED, Reason.COMPLAINED)


def normalise(email):
    return (email or "").strip().lower()


def address_digest(email, secret=None):
    """The hash stored for `email` (with the current SECRET_KEY, or `secret`)."""
    return salted_hmac(KEY_SALT, normalise(email), secret=secret, algorithm="sha256").hexdigest()


def _all_digests(email):
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    return [address_digest(email, secret) for secret in secrets]


def _entry(email):
    return SuppressedAddress.objects.filter(digest__in=_all_digests(email)).first()


def suppress(email, reason=Reason.ERASED):
    """Add `email` to the list (once), or make its reason stricter. Returns the entry."""
    entry = _entry(email)
    if entry is None:
        entry, _created = SuppressedAddress.objects.get_or_create(
            digest=address_digest(email), defaults={"reason": reason}
        )
    if _STRICTNESS.index(reason) > _STRICTNESS.index(entry.reason):
        entry.reason = reason
        entry.save(update_fields=["reason"])
    return entry


def lift(email):
    """Take `email` off the list (its holder asked again). Returns whether it was on it."""
    return bool(SuppressedAddress.objects.filter(digest__in=_all_digests(email)).delete()[0])


def is_suppressed(email, reasons=None):
    """Whether `email` is on the list (for one of `reasons`, if given)."""
    entries = SuppressedAddress.objects.filter(digest__in=_all_digests(email))
    if reasons is not None:
        entries = entries.filter(reason__in=reasons)
    return entries.exists()


def blocks_public_requests(email):
    """Whether `email` bounced or complained: no email from a public form goes to it."""
    return is_suppressed(email, BLOCKING_REASONS)


def suppressed_on(email):
    """The date `email` was suppressed, or None."""
    entry = _entry(email)
    return entry.suppressed_on if entry else None


class Suppressed:
    """The list read once, to check many addresses (`email in suppressed`) with one
    query; only the entries for `reasons`, if given. While the list is empty,
    checking costs nothing."""

    def __init__(self, reasons=None):
        entries = SuppressedAddress.objects.all()
        if reasons is not None:
            entries = entries.filter(reason__in=reasons)
        self.digests = set(entries.values_list("digest", flat=True))

    def __contains__(self, email):
        if not self.digests:
            return False
        return any(digest in self.digests for digest in _all_digests(email))
