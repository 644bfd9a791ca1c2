"""Protection for public forms shown on pages cached for anonymous visitors.

Cached HTML holds nothing per visitor, so these forms carry no CSRF token
(DESIGN.md, "Caching and forms"). Each posts to its own view, never cached,
which calls `refuse_post` first: the POST must come from a page of this site
(its `Origin`, or failing that `Sec-Fetch-Site`), stay under a per-address rate
limit, and be readable (not oversized, not too many fields). Each form also has
a honeypot field (`HONEYPOT_FIELD`) that people never see and bots fill in.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"

# POSTs allowed per client address and form kind, and in how many seconds.
DEFAULT_RATE_LIMIT = (10, 600)


def see_other(to, *args):
    """A 303 redirect after a POST was taken: reloading the answer does not post again."""
    response = redirect(to, *args)
    response.status_code = 303
    return response


def message_page(request, title, text, *, status=200, language=None):
    """A short page telling the visitor what happened."""
    context = {"title": title, "text": text}
    if language:
        with translation.override(language):
            return render(request, "pages/message.html", context, status=status)
    return render(request, "pages/message.html", context, status=status)


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


def client_ip(request):
    """The visitor's address, for rate limits (and django-axes, AXES_CLIENT_IP_CALLABLE).

    Behind TRUSTED_PROXY_COUNT proxies (production), it is the address the outermost
    trusted proxy appended to X-Forwarded-For: entries further left come from the
    client and could be forged. Without proxies (0, the default) it is REMOTE_ADDR.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def over_rate_limit(request, scope, rate=DEFAULT_RATE_LIMIT):
    """Count this request for its client address and `scope`; True once over."""
    limit, window = rate
    key = f"public-form:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


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
