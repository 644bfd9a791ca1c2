"""Page URLs as Wagtail's `Page.get_url` and `Page.get_full_url` give them, from the
page's `url_path` alone.

Wagtail works a page's URL out from its url_path, the site root paths (kept in the
cache) and a `reverse()` of its serving view, on every call: about a tenth of a
millisecond, and a page shows twenty of them (menu, footer, language switcher,
hreflang, breadcrumbs). The answer of `reverse()` depends only on the URL
configuration, the language and the path, so it is worked out once per process
(the URL configuration is code; tests that change it clear the memo), as are the
other fixed addresses of every page (`reversed_url`: the search, the feeds). The rest is
Wagtail's `get_url_parts` and `get_url` step by step, for pages whose type keeps
Wagtail's: `url_for`, given a page of a type with URLs of its own, asks the page.
tests/home/test_page_urls.py compares every answer with Wagtail's.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Page, Site

_NOT_ROUTABLE = object()


@lru_cache(maxsize=4096)
def _serve_path(urlconf, script_prefix, language_code, path):
    try:
        with translation.override(language_code):
            return reverse("wagtail_serve", args=(path,))
    except NoReverseMatch:
        return _NOT_ROUTABLE


@lru_cache(maxsize=1024)
def _reversed(urlconf, script_prefix, language_code, name, args):
    with translation.override(language_code):
        return reverse(name, args=args)


def serve_path(language_code, path):
    """`reverse("wagtail_serve", args=[path])` in `language_code`, or None."""
    found = _serve_path(get_urlconf(), get_script_prefix(), language_code, path)
    return None if found is _NOT_ROUTABLE else found


def reversed_url(name, *args):
    """`reverse(name, args=args)` in the active language, worked out once."""
    return _reversed(get_urlconf(), get_script_prefix(), translation.get_language(), name, args)


@receiver(setting_changed)
def _forget_paths(setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "WAGTAIL_I18N_ENABLED"}:
        _serve_path.cache_clear()
        _reversed.cache_clear()


def root_paths(request):
    """The site root paths, kept on the request as Wagtail keeps them."""
    if request is None:
        return Site.get_site_root_paths()
    try:
        return request._wagtail_cached_site_root_paths
    except AttributeError:
        request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        return request._wagtail_cached_site_root_paths


def url_parts(url_path, request=None, paths=None):
    """`Page.get_url_parts(request)` of the page at `url_path`:
    (site_id, root_url, page_path), (site_id, None, None), or None. `paths`: the
    site root paths, when the caller has them."""
    if paths is None:
        paths = root_paths(request)
    possible = [srp for srp in paths if url_path.startswith(srp.root_path)]
    if not possible:
        return None
    site_id, root_path, root_url, language_code = possible[0]
    if len({values[0] for values in possible}) > 1 and isinstance(request, HttpRequest):
        site = Site.find_for_request(request)
        if site:
            for values in possible:
                if values[0] == site.pk:
                    site_id, root_path, root_url, language_code = values
                    break
    try:
        active = translation.get_language()
        if get_supported_content_language_variant(active) == language_code:
            language_code = active
    except LookupError:
        pass
    page_path = _serve_path(
        get_urlconf(), get_script_prefix(), language_code, url_path[len(root_path) :]
    )
    if page_path is _NOT_ROUTABLE:
        return (site_id, None, None)
    if not WAGTAIL_APPEND_SLASH and page_path != "/":
        page_path = page_path.rstrip("/")
    return (site_id, root_url, page_path)


def page_url(url_path, request=None, current_site=None, paths=None):
    """`Page.get_url(request, current_site)` of the page at `url_path`."""
    if current_site is None and request is not None:
        current_site = Site.find_for_request(request)
    if paths is None:
        paths = root_paths(request)
    parts = url_parts(url_path, request, paths)
    if parts is None or parts[1] is None and parts[2] is None:
        return None
    site_id, root_url, page_path = parts
    sites = {root_path[0] for root_path in paths}
    if (current_site is not None and site_id == current_site.id) or len(sites) == 1:
        return page_path
    return root_url + page_path


def full_url(url_path, request=None):
    """`Page.get_full_url(request)` of the page at `url_path`."""
    parts = url_parts(url_path, request)
    if parts is None or parts[1] is None and parts[2] is None:
        return None
    return parts[1] + parts[2]


def has_own_urls(model):
    """Whether pages of `model` work their URLs out otherwise than Wagtail's Page (the
    site's pages keep Wagtail's answers through `WagtailUrlsMixin`)."""
    return any(
        getattr(model, name) not in (getattr(Page, name), getattr(WagtailUrlsMixin, name, None))
        for name in ("get_url_parts", "get_url", "get_full_url", "relative_url")
    )


def url_for(page, request=None):
    """`page.get_url(request)`, the same answer, faster for a page that keeps Wagtail's."""
    if has_own_urls(type(page)):
        return page.get_url(request=request)
    return page_url(page.url_path, request)


def full_url_for(page, request=None):
    """`page.get_full_url(request)`, the same answer, faster for a page that keeps Wagtail's."""
    if has_own_urls(type(page)):
        return page.get_full_url(request=request)
    return full_url(page.url_path, request)


class WagtailUrlsMixin:
    """`Page.get_url_parts` from the url_path as above: every `page.url` of the site's
    pages (cards, links, the sitemap) gets Wagtail's answer without its `reverse()`.
    tests/home/test_page_urls.py compares the answers with Wagtail's."""

    def get_url_parts(self, request=None):
        return url_parts(self.url_path, request, self._get_site_root_paths(request))
