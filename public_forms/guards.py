"""Protection for public forms shown on pages cached for anonymous visitors.

Cached HTML holds nothing per visitor, so these forms carry no CSRF token
(docs/caching-and-forms.md). Each posts to its own view, never cached,
which calls `refuse_post` first: the POST must come from a page of this site
(its `Origin`, or failing that `Sec-Fetch-Site`), stay under a per-address rate
limit, and be readable (not oversized, not too many fields). Each form also has
a honeypot field (`HONEYPOT_FIELD`) that people never see and bots fill in.
"""

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _

from public_forms.responses import message_page
from security.rate_limits import DEFAULT_RATE_LIMIT, over_rate_limit

HONEYPOT_FIELD = "website"


def is_same_origin(request):
    """Whether a POST comes from a page of this site.

    Browsers send `Origin` with every form POST (and `Sec-Fetch-Site` where they
    support fetch metadata); a page on another site cannot forge either. Behind a
    proxy that terminates TLS, `request.scheme` relies on SECURE_PROXY_SSL_HEADER.
    """
    expected = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == expected or origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def refuse_post(request, scope, rate=DEFAULT_RATE_LIMIT):
    """The error page for a POST this site will not take, or None to go on."""
    if not is_same_origin(request):
        return message_page(
            request,
            _("Form refused"),
            _("This form can only be sent from our own website. Please try again from there."),
            status=403,
        )
    if over_rate_limit(request, scope, rate):
        return message_page(
            request,
            _("Too many attempts"),
            _("You have sent this form too often. Please wait a few minutes and try again."),
            status=429,
        )
    return unreadable_post(request)


def unreadable_post(request):
    """The error page for a POST body that cannot be read (oversized, too many
    fields, broken multipart, a charset other than UTF-8), or None."""
    try:
        request.POST  # noqa: B018 - parse now, so an oversized body is caught here
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        return message_page(
            request,
            _("What you sent is too large"),
            _("What you sent is too large. Please shorten it and try again."),
            status=400,
        )
    except (MultiPartParserError, BadRequest):
        return message_page(
            request,
            _("What you sent could not be read"),
            _("What you sent could not be read. Please try again from the form on our website."),
            status=400,
        )
    return None


def is_bot(data):
    """Whether the honeypot field, hidden from people, was filled in."""
    return bool(data.get(HONEYPOT_FIELD, "").strip())
