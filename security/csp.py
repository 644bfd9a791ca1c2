"""The Content-Security-Policy of the admin, and of public pages seen by editors.

Public pages get the strict policy of settings.SECURE_CSP (no inline script or
style, so cached HTML needs no per-request nonce). Wagtail's admin still writes a
few inline scripts and styles, so the admin gets settings.ADMIN_CSP. Someone
logged in who views a public page (with Wagtail's userbar and its accessibility
checker) gets settings.EDITOR_CSP: the strict policy, plus a nonce for anything
rendered with `request.csp_nonce`; those pages are never cached (the page cache
lets requests with a session through, and marks their answer private).
"""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Must come after (inside) Django's ContentSecurityPolicyMiddleware, which then
    leaves the header set here alone."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            config = settings.ADMIN_CSP
        elif settings.SESSION_COOKIE_NAME in request.COOKIES:
            config = settings.EDITOR_CSP
        else:
            return response
        if not hasattr(response, "_csp_config"):  # a view's own @csp_override wins
            response._csp_config = config  # read by Django's middleware, outside this one
        return response
