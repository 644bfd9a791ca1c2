"""Who must sign in with a second factor, and the devices that give it.

The devices are django-otp's: one TOTP device (an authenticator app) and one static
device holding the recovery codes, each code usable once. A user is *protected*
when they are a superuser or hold any permission in `TWO_FACTOR_PERMISSIONS`
(sending issues, exporting subscribers, a person's data): the rule follows
permissions, not group names, so a new group granted one of them is protected too.
Anyone else may enrol; once enrolled, they too give a code at each sign-in.
"""

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
# The names of our two devices (django-otp lets a user hold several of each kind).
APP_DEVICE = "authenticator"
RECOVERY_DEVICE = "recovery"


def protecting_permissions():
    return list(getattr(settings, "TWO_FACTOR_PERMISSIONS", ()))


def is_required(user):
    """Must this user give a second factor before reaching the admin?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(user.has_perm(permission) for permission in protecting_permissions())


def app_device(user):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_enrolled(user):
    return user.is_authenticated and app_device(user) is not None


def pending_app_device(user):
    """The unconfirmed device shown during enrolment (a new secret each time one
    is started; the page keeps the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def confirm_enrolment(device):
    """The app's first code was right: it becomes the user's device (any other is
    removed) and a fresh set of recovery codes is made. Returns the codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; the old
    ones stop working. The codes are returned to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset(user):
    """Remove every second factor of the user. Returns how many devices went."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    return removed


def normalise(token):
    """What the user typed, as the devices compare it: no spaces or dashes, lower
    case (recovery codes are lower-case base32; app codes are digits)."""
    return "".join(str(token).split()).replace("-", "").lower()
