"""The sign-in steps after the password: the code, and the first enrolment.

Both are shown in the login page's frame (the user reaches no admin page yet) and
in the user's admin language (Wagtail's `require_admin_access` wraps the views).
"""

import io
import logging
import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from twofactor import attempts, policy
from twofactor.forms import CodeForm, EnrolForm

logger = logging.getLogger(__name__)


def next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _locked(request, user):
    response = attempts.locked_response(request, user)
    logout(request)
    return response


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code step: a code from the app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not policy.is_enrolled(user):
        return redirect(f"{reverse('twofactor_enrol')}?{request.GET.urlencode()}")
    if attempts.is_locked(request, user):
        return _locked(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, policy.normalise(form.cleaned_data["code"]))
        if device is not None:
            otp_login(request, device)
            attempts.succeeded(user)
            if isinstance(device, StaticDevice):
                left = policy.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(count)s code is left: "
                        "make new ones in your account's two-factor settings.",
                        "You signed in with a recovery code. %(count)s codes are left: "
                        "make new ones in your account's two-factor settings.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url(request))
        attempts.failed(request, user)
        if getattr(request, "axes_locked_out", False):
            return _locked(request, user)
        form.add_error(
            "code",
            _("This code is not right, or was used already. Codes change every 30 seconds."),
        )
    return TemplateResponse(
        request, "twofactor/verify.html", {"form": form, "next": next_url(request)}
    )


def qr_svg(uri):
    """The otpauth URI as a QR code, an SVG drawn here (nothing sent anywhere)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # Its own size in pixels, dark on a white square whatever the admin's theme.
    svg = re.sub(r'width="[^"]+" height="[^"]+"', 'width="232" height="232"', svg, count=1)
    label = escape(_("QR code to scan with the authenticator app"))
    opening = svg.index(">") + 1
    return (
        svg[: opening - 1]
        + f' role="img" aria-label="{label}">'
        + '<rect width="100%" height="100%" fill="#fff"/>'
        + svg[opening:]
    )


def grouped(key):
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up the authenticator app: scan, confirm with a code, get recovery codes."""
    user = request.user
    if policy.is_enrolled(user):
        # A new app replaces the old one only from the account settings, after the
        # code step: whoever has just the password cannot swap the phone.
        if not user.is_verified():
            return redirect(f"{reverse('twofactor_verify')}?{request.GET.urlencode()}")
        return redirect("twofactor_account")
    if attempts.is_locked(request, user):
        return _locked(request, user)
    device = policy.pending_app_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(policy.normalise(form.cleaned_data["code"])):
            codes = policy.confirm_enrolment(device)
            otp_login(request, device)
            attempts.succeeded(user)
            logger.info("Second factor set up by user %s", user.pk)
            return recovery_codes_page(request, codes, first=True)
        attempts.failed(request, user)
        if getattr(request, "axes_locked_out", False):
            return _locked(request, user)
        form.add_error(
            "code", _("This code is not right. Check the app shows this site, then try again.")
        )
    uri = device.config_url
    key = b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_svg": qr_svg(uri),
        "uri": uri,
        "key": key,
        "key_grouped": grouped(key),
        "next": next_url(request),
        "required": policy.is_required(user),
    }
    return TemplateResponse(request, "twofactor/enrol.html", context)


def recovery_codes_page(request, codes, first=False):
    """The recovery codes, shown once: they are not shown again."""
    context = {"codes": codes, "first": first, "next": next_url(request)}
    return TemplateResponse(request, "twofactor/recovery_codes.html", context)
