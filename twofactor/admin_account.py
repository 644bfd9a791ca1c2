"""Two-factor authentication in the admin's account settings, and a superuser's
reset of another user's second factor (a lost phone)."""

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from wagtail.log_actions import log

from twofactor import policy
from twofactor.forms import PasswordConfirmForm
from twofactor.views import recovery_codes_page

logger = logging.getLogger(__name__)

RESET_ACTION = "twofactor.reset"


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def account(request):
    """Status; new recovery codes; reset (with the password)."""
    user = request.user
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy.reset(user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        log(instance=user, action=RESET_ACTION, user=user)
        logger.info("Second factor reset by user %s for themself", user.pk)
        messages.success(request, _("Two-factor authentication is reset."))
        return redirect("wagtailadmin_home")
    device = policy.app_device(user)
    context = {
        "page_title": _("Two-factor authentication"),
        "device": device,
        "codes_left": policy.recovery_codes_left(user) if device else 0,
        "required": policy.is_required(user),
        "form": form,
    }
    return TemplateResponse(request, "twofactor/account.html", context)


@never_cache
@require_POST
def regenerate(request):
    if not policy.is_enrolled(request.user):
        return redirect("twofactor_account")
    codes = policy.new_recovery_codes(request.user)
    logger.info("Recovery codes renewed by user %s", request.user.pk)
    return recovery_codes_page(request, codes)


@never_cache
@require_http_methods(["GET", "POST"])
def reset_user(request, user_id):
    """A superuser removes another user's devices: their next sign-in enrols again."""
    if not request.user.is_superuser:
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        removed = policy.reset(target)
        log(instance=target, action=RESET_ACTION, user=request.user)
        logger.info("Second factor of user %s reset by user %s", target.pk, request.user.pk)
        messages.success(
            request,
            _("Two-factor authentication of %(name)s is reset.") % {"name": target.get_username()}
            if removed
            else _("%(name)s had no two-factor authentication.") % {"name": target.get_username()},
        )
        return redirect("wagtailusers_users:index")
    context = {
        "page_title": _("Reset two-factor authentication"),
        "target": target,
        "enrolled": policy.is_enrolled(target),
    }
    return TemplateResponse(request, "twofactor/reset_user.html", context)
