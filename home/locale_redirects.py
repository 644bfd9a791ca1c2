"""Django's LocaleMiddleware, redirecting an unprefixed path only when the prefixed
path leads somewhere: a page (Wagtail's routing) or a view other than Wagtail's
catch-all. Every other 404 stays a 404, rendered in the negotiated language.

An old address that a Wagtail redirect keeps (an editor's, or load_demo's) leads
somewhere too: `/countries/rwanda/` goes to `/nl/countries/rwanda/`, which Wagtail's
RedirectMiddleware sends on to `/nl/landen/rwanda/`.

Django asks only whether `/<lang>/<path>` resolves, and Wagtail's catch-all inside
`i18n_patterns` resolves everything: `/de/` went to `/en/de/`, an admin API 404 to
`/fr/admin/api/…` (docs/translation.md, "Addresses without a language").
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

WAGTAIL_SERVE = "wagtail_serve"


def _page_exists(request, path):
    """Whether Wagtail's routing finds a page at `path` (below the site's root in
    the active language), without caching the route on `request`."""
    site = Site.find_for_request(request)
    if site is None:
        return False
    root = site.root_page.localized.specific
    try:
        root.route(request, [part for part in path.split("/") if part])
    except Http404:
        return False
    return True


def _redirect_exists(request, path):
    """Whether a Wagtail redirect starts at `path` (the old address of a page)."""
    site = Site.find_for_request(request)
    old_path = Redirect.normalise_path(path)
    return Redirect.get_for_site(site).filter(old_path=old_path).exists()


def leads_somewhere(request, path, urlconf=None):
    """Whether `path` (with its language prefix) is served by a view other than
    Wagtail's catch-all, or by the catch-all with a page to show or a redirect."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    if match.url_name != WAGTAIL_SERVE:
        return True
    return _page_exists(request, match.args[0] if match.args else "") or _redirect_exists(
        request, path
    )


class LocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if (
            response.status_code != 404
            or get_language_from_path(request.path_info)
            or not all(is_language_prefix_patterns_used(urlconf))
        ):
            return super().process_response(request, response)
        language_path = f"/{get_language()}{request.path_info}"
        if leads_somewhere(request, language_path, urlconf) or (
            settings.APPEND_SLASH
            and not language_path.endswith("/")
            and leads_somewhere(request, f"{language_path}/", urlconf)
        ):
            return super().process_response(request, response)
        # A 404 that stays one: Django's own headers, without its redirect.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", get_language())
        return response
