"""No admin page before the second factor (policy.py says whose).

After the password, Wagtail's login sends the user to the admin; here every admin
view but the sign-in steps themselves answers with a redirect to the code step (a
user with a device) or to enrolment (a protected user without one). The admin's
API and its background requests get a bare 403: no page, no data. Needs django-otp's
OTPMiddleware before it (it gives `request.user.is_verified()`).
"""

from urllib.parse import urlencode

from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from twofactor import policy

# What an unverified user may still reach: signing in and out, resetting a
# forgotten password (it logs nobody in), the admin's translations for scripts and
# its icons (the login frame's script fetches them and puts them in the page).
OPEN_VIEWS = {
    "wagtailadmin_sprite",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "javascript_catalog",
    "twofactor_verify",
    "twofactor_enrol",
}


def _is_background_request(request, admin_prefix):
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith(f"{admin_prefix}api/")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or ("json" in accept and "html" not in accept)
    )


def second_factor_missing(request):
    """True when the signed-in user must still give a code (or enrol)."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return policy.is_required(user) or policy.is_enrolled(user)


class AdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_prefix):
            return None
        if request.resolver_match.url_name in OPEN_VIEWS:
            return None
        if not second_factor_missing(request):
            return None
        if _is_background_request(request, admin_prefix):
            return HttpResponseForbidden(_("Two-factor authentication is required."))
        step = "twofactor_verify" if policy.is_enrolled(request.user) else "twofactor_enrol"
        target = request.get_full_path() if request.method == "GET" else admin_prefix
        return redirect(f"{reverse(step)}?{urlencode({'next': target})}")
