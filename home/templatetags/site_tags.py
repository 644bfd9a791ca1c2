"""Template tags for the site's chrome: menu, footer, language switcher, breadcrumbs."""

from django import template
from django.conf import settings
from django.db.models import Q
from django.template.defaulttags import querystring
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from home.i18n import localize_stream
from home.models import Footer, MainMenu

register = template.Library()


def _page(context):
    """The Wagtail page being rendered, if any (error pages have none)."""
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _locale_id(context):
    """The page's locale, else the active language's: chrome follows the content."""
    page = _page(context)
    return page.locale_id if page else Locale.get_active().pk


def _chrome(context, model):
    """The `model` snippet in the current locale, else the default locale's; fetched
    once per request (one query) and shared by every tag that needs it."""
    locale_id = _locale_id(context)
    request = context.get("request")
    cache = getattr(request, "_site_chrome", None) if request else None
    if cache is None:
        cache = {}
        if request is not None:
            request._site_chrome = cache
    key = (model, locale_id)
    if key not in cache:
        default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        candidates = model.objects.filter(
            Q(locale_id=locale_id) | Q(locale__language_code=default_code)
        ).order_by("pk")
        found = sorted(candidates, key=lambda obj: obj.locale_id != locale_id)
        cache[key] = found[0] if found else None
    return cache[key]


def _is_current(page, target):
    """Whether `target` is the page shown or a section above it (never the home page,
    which is above everything)."""
    if page is None or target is None:
        return False
    if target.pk == page.pk:
        return True
    return target.depth > 2 and page.path.startswith(target.path)


@register.inclusion_tag("components/_main_menu.html", takes_context=True)
def main_menu(context):
    """The header menu in the visitor's language, with the current section marked."""
    menu = _chrome(context, MainMenu)
    page = _page(context)
    items = []
    if menu is not None:
        localize_stream(menu.items, _locale_id(context), specific=False)
        for child in menu.items:
            link = child.value
            items.append(
                {
                    "url": link.url(),
                    "label": link.label(),
                    "current": _is_current(page, link.get("page")),
                }
            )
    return {"items": items}


@register.inclusion_tag("components/_footer.html", takes_context=True)
def site_footer(context):
    """The footer snippet in the visitor's language, plus the contact settings."""
    footer = _chrome(context, Footer)
    links = []
    if footer is not None:
        localize_stream(footer.links, _locale_id(context), specific=False)
        links = [child.value for child in footer.links]
    return {
        "footer": footer,
        "links": links,
        "settings": context.get("settings"),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def organisation_name(context):
    """The organisation's name from the footer snippet, for the contact block."""
    footer = _chrome(context, Footer)
    return footer.organisation_name if footer else ""


def _translations(page):
    """Live language versions of `page` by language code, one query per page."""
    cached = getattr(page, "_site_translations", None)
    if cached is None:
        versions = page.get_translations(inclusive=True).live().select_related("locale")
        cached = {version.locale.language_code: version for version in versions}
        page._site_translations = cached
    return cached


def _home_url(language_code):
    """The home page of a language: `/fr/` (Wagtail serves the localised root)."""
    with translation.override(language_code):
        return reverse("wagtail_serve", args=[""])


@register.inclusion_tag("components/_language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language (its home page where it has no version)."""
    page = _page(context)
    request = context.get("request")
    versions = _translations(page) if page else {}
    current = next(
        (code for code, version in versions.items() if version.pk == page.pk),
        translation.get_language(),
    )
    languages = []
    for code, name in settings.LANGUAGES:
        version = versions.get(code)
        url = version.get_url(request) if version else _home_url(code)
        languages.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"languages": languages}


@register.inclusion_tag("components/_hreflang_links.html", takes_context=True)
def hreflang_links(context):
    """`<link rel="alternate" hreflang>` for each live translation, plus x-default.

    Aliases of untranslated pages are left out: their text is in another language.
    """
    page = _page(context)
    request = context.get("request")
    if page is None:
        return {"alternates": []}
    versions = {
        code: version
        for code, version in _translations(page).items()
        if version.alias_of_id is None
    }
    alternates = [
        {"code": code, "url": versions[code].get_full_url(request)}
        for code, _name in settings.LANGUAGES
        if code in versions
    ]
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if default_code in versions:
        alternates.append(
            {"code": "x-default", "url": versions[default_code].get_full_url(request)}
        )
    return {"alternates": alternates}


@register.simple_tag(takes_context=True)
def untranslated_source(context):
    """The page an untranslated page stands in for, or None.

    A page not yet translated into a language is a wagtail-localize alias of its
    source page: reachable in every language, but its text is the source's. The
    templates say so, point the canonical link at the source and mark the text's
    language.
    """
    page = _page(context)
    if page is None or not page.alias_of_id:
        return None
    if not hasattr(page, "_untranslated_source"):
        source = Page.objects.select_related("locale").get(pk=page.alias_of_id)
        page._untranslated_source = source if source.locale_id != page.locale_id else None
    return page._untranslated_source


# Language names as they read inside a sentence (French writes them in lower case).
LANGUAGE_NAMES_IN_PROSE = {
    "en": pgettext_lazy("language name in a sentence", "English"),
    "fr": pgettext_lazy("language name in a sentence", "French"),
    "nl": pgettext_lazy("language name in a sentence", "Dutch"),
}


@register.simple_tag
def language_name(code):
    """A language's name in the active language, for use in a sentence."""
    return LANGUAGE_NAMES_IN_PROSE.get(code, code)


@register.inclusion_tag("components/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the home page to this page; none on the home page itself."""
    page = _page(context)
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    return {
        "ancestors": list(page.get_ancestors().filter(depth__gt=1)),
        "page": page,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def page_querystring(context, number, param=""):
    """The current query string with page `number` under `param` ("page" if empty),
    so that a page with two paginated lists can tell their links apart."""
    return querystring(context, **{param or "page": number})


@register.filter
def elided_page_range(page_obj):
    """Page numbers around the current one, with … for the gaps (Django's own)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
