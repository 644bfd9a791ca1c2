"""The code step of the admin sign-in, as a person with the app would pass it.

django-otp accepts each code once (and the one before and after): signing in twice
within 30 seconds needs the next code, and a third time waits for the clock.
"""

import time
from base64 import b32decode

from django_otp.oath import TOTP

STEP = 30
_last_step = {}


def code(key, hex_key=True):
    """A code for `key` (hex as stored, or the base32 an enrolment page shows) that
    was not used yet by these tests."""
    binary = bytes.fromhex(key) if hex_key else b32decode(key + "=" * (-len(key) % 8))
    while True:
        now = int(time.time() // STEP)
        step = max(now, _last_step.get(key, -1) + 1)
        if step <= now + 1:
            break
        time.sleep(1)
    _last_step[key] = step
    totp = TOTP(binary, step=STEP)
    totp.time = step * STEP
    return f"{totp.token():06d}"


def pass_code_step(page, key, hex_key=True):
    """After the password: enter the app's code and land on the admin."""
    page.wait_for_url("**/admin/two-factor/**")
    page.locator("input[name=code]").fill(code(key, hex_key))
    page.locator("main form.login-form button[type=submit]").click()
    page.wait_for_url("**/admin/")
