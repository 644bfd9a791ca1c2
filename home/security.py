"""Security pieces the settings refer to: the admin's Content-Security-Policy, and
keeping email addresses out of logs and error reports.

Public pages get the strict policy of settings.SECURE_CSP (no inline script or
style, so cached HTML needs no per-request nonce). Wagtail's admin still writes a
few inline scripts and styles, so the admin, and any page seen by someone logged in
(the userbar is part of the admin), get settings.ADMIN_CSP instead.
"""

import logging
import re

from django.conf import settings
from django.middleware.csp import get_nonce
from django.utils.csp import CSP, build_policy
from django.views.debug import SafeExceptionReporterFilter

EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[^\s@<>\"'(),;:]+")
REDACTED = "[email]"


class AdminContentSecurityPolicyMiddleware:
    """Must come after (inside) Django's ContentSecurityPolicyMiddleware, which then
    leaves the header set here alone."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        logged_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if request.path.startswith(self.admin_prefix) or logged_in:
            response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(
                settings.ADMIN_CSP, get_nonce(request)
            )
        return response


def redact(text):
    return EMAIL.sub(REDACTED, text)


class RedactEmailsFilter(logging.Filter):
    """A logging filter that replaces every email address in a record's message
    (and in its formatted exception) with "[email]"."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record as it is
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class ExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the 500 email to ADMINS) hide, besides Django's own list,
    every POST value and setting that holds an email address."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|EMAIL|DSN", flags=re.I
    )

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None:
            return parameters
        cleaned = parameters.copy()
        for name, values in parameters.lists():
            if "email" in name.lower() or any(EMAIL.search(str(v)) for v in values):
                cleaned[name] = self.cleansed_substitute
        return cleaned

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [
            (name, self.cleansed_substitute if _mentions_email(name, value) else value)
            for name, value in variables
        ]


def _mentions_email(name, value):
    if "email" in name.lower():
        return True
    try:
        return bool(EMAIL.search(repr(value)[:10_000]))
    except Exception:  # a repr that fails: hide it rather than risk it
        return True
