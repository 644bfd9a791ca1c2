"""django-axes limits the code step as it limits the password step.

A wrong code is reported with Django's `user_login_failed` signal, which axes
counts like a wrong password (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME; per username
and address). The code step is counted under a name of its own, the username
followed by ":otp" (a character Django usernames cannot hold): a right password
resets the password step's count (AXES_RESET_ON_SUCCESS), and must not reset the
count of wrong codes, or whoever knows the password could guess codes for ever,
four at a time. A right code clears that count.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed

SUFFIX = ":otp"


def credentials(user):
    return {"username": f"{user.get_username()}{SUFFIX}"}


def is_locked(request, user):
    return AxesProxyHandler.is_locked(request, credentials(user))


def failed(request, user):
    """Count a wrong code; axes marks the request locked at the limit."""
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)


def succeeded(user):
    AxesProxyHandler.reset_attempts(username=credentials(user)["username"])


def locked_response(request, user):
    return get_lockout_response(request, credentials=credentials(user))
