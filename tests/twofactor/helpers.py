"""What tests of two-factor sign-in share, and the suite-wide force_login's helper."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_DEVICE = "verified by force_login (tests)"


def verify_session(client, user):
    """Mark the client's session verified with a device of the user, as
    django_otp.login does after a right code."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=TEST_DEVICE)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def code_for(device, offset=0):
    """The app's code for `device` now (offset: that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user):
    """A confirmed authenticator device for `user`."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
