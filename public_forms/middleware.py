"""A ceiling on every POST outside the admin, per client address."""

from django.utils.translation import gettext_lazy as _

from public_forms.responses import message_page
from security.rate_limits import over_rate_limit

# Any POST outside the admin, per client address: a ceiling above every form's own
# limit, for the posts that have none of their own (token links, Wagtail's page
# password form). Generous, because one-click unsubscribes from a mail provider's
# servers share a few addresses.
PUBLIC_POST_RATE_LIMIT = (100, 600)
# The admin has django-axes and its own login; the email service's webhooks have a
# password and may post in bursts.
UNLIMITED_PREFIXES = ("/admin/", "/anymail/")


class PublicPostRateLimitMiddleware:
    """Answers 429, in the visitor's language, to a client address over
    PUBLIC_POST_RATE_LIMIT. Placed after LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and not request.path.startswith(UNLIMITED_PREFIXES)
            and over_rate_limit(request, "any-post", PUBLIC_POST_RATE_LIMIT)
        ):
            return message_page(
                request,
                _("Too many attempts"),
                _("You have sent too many forms. Please wait a few minutes and try again."),
                status=429,
            )
        return self.get_response(request)
