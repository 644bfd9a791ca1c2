"""The admin's Content-Security-Policy.

Public pages get the strict policy of settings.SECURE_CSP (no inline script or
style, so cached HTML needs no per-request nonce). Wagtail's admin still writes a
few inline scripts and styles, so the admin, and any page seen by someone logged in
(the userbar is part of the admin), get settings.ADMIN_CSP instead.
"""

from django.conf import settings
from django.middleware.csp import get_nonce
from django.utils.csp import CSP, build_policy


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
