"""The signed link in every registration email that lets the person cancel."""

from django.core import signing

from events.models import Registration

CANCEL_SALT = "events.registration.cancel"


def cancel_token(registration):
    return signing.dumps(registration.pk, salt=CANCEL_SALT, compress=True)


def registration_from_cancel_token(token):
    """The registration a cancel link is for, or None for a forged link or a
    registration that no longer exists (deleted after the event)."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Registration.objects.filter(pk=pk).select_related("places").first()
