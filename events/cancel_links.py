"""The personal link in every registration email that lets the person cancel: a
signature over the registration's id and a keyed digest of its address
(privacy.links), never the address or the name."""

from events.models import Registration
from privacy import links

CANCEL_SALT = "events.registration.cancel"


def cancel_token(registration):
    return links.signed_token(registration.pk, registration.email, CANCEL_SALT)


def registration_from_cancel_token(token):
    """The registration a cancel link is for, or None for a forged link or a
    registration that no longer exists (deleted after the event, or erased)."""
    return links.object_from_token(
        Registration.objects.select_related("places"), token, CANCEL_SALT
    )
