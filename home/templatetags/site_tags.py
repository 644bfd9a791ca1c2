"""Template tags for the site's chrome: menu, footer, language switcher, breadcrumbs."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.template.defaulttags import querystring
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from home import page_cache
from home.models import ContactSettings, Footer, MainMenu

register = template.Library()


def _page(context):
    """The Wagtail page being rendered, if any (error pages have none)."""
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _locale_id(context):
    """The page's locale, else the active language's: chrome follows the content.
    Views without a page (search, subscribe) look the locale up once per request."""
    page = _page(context)
    if page:
        return page.locale_id
    request = context.get("request")
    locale_id = getattr(request, "_site_locale_id", None)
    if locale_id is None:
        locale_id = Locale.get_active().pk
        if request is not None:
            request._site_locale_id = locale_id
    return locale_id


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


# How long the site chrome stays in the cache at most; any content change drops it
# sooner (see _site_chrome).
CHROME_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ChromeLink:
    """A link of the menu or the footer, as rendered (picklable, for the cache)."""

    url: str
    label: str
    page_pk: int | None = None
    page_path: str = ""
    page_depth: int = 0


def _site_chrome(context):
    """What the header and footer show in the current locale: the menu's and the
    footer's links (each page in the locale), the footer's text and the contact
    settings.

    They are the same on every page of a language, so they are kept in the cache
    rather than read again on every page (four queries). The key holds the page
    cache's generation (home/page_cache.py), which any change to a page, snippet or
    setting increments, so an edit shows at once, on every app server.
    """
    request = context.get("request")
    chrome = getattr(request, "_site_chrome_data", None) if request else None
    if chrome is not None:
        return chrome
    locale_id = _locale_id(context)
    key = f"site-chrome:{page_cache.generation()}:{locale_id}"
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build_chrome(context, locale_id)
        cache.set(key, chrome, CHROME_SECONDS)
    if request is not None:
        request._site_chrome_data = chrome
    return chrome


def _build_chrome(context, locale_id):
    menu, footer = _chrome(context, MainMenu), _chrome(context, Footer)
    links = _stream_links(
        {"menu": menu and menu.items, "footer": footer and footer.links}, locale_id
    )
    return {
        "menu": links["menu"],
        "footer_links": links["footer"],
        "organisation_name": footer.organisation_name if footer else "",
        "footer_text": footer.text if footer else "",
        "contact": ContactSettings.load(request_or_site=context.get("request")),
    }


def _stream_links(streams, locale_id):
    """The links of LinkBlock streams ({name: stream}), each chosen page in the locale.

    Read from the streams' raw data, so that the pages they choose come in one query
    with their versions in the locale (Wagtail would fetch each stream's chosen pages,
    then `localize_stream` their versions: two queries a stream).
    """
    raw = {
        name: [
            child["value"]
            for child in (stream.raw_data if stream else [])
            if child["type"] == "link"
        ]
        for name, stream in streams.items()
    }
    chosen = {value.get("page") for values in raw.values() for value in values} - {None}
    pages = _pages_in_locale(chosen, locale_id)
    links = {}
    for name, values in raw.items():
        links[name] = []
        for value in values:
            page = pages.get(value.get("page"))
            if page is not None:
                url, title = page.url, page.title
            else:
                url, title = value.get("external_url") or "", value.get("external_url") or ""
            links[name].append(
                ChromeLink(
                    url=url or "",
                    label=value.get("link_text") or title,
                    page_pk=page.pk if page else None,
                    page_path=page.path if page else "",
                    page_depth=page.depth if page else 0,
                )
            )
    return links


def _pages_in_locale(ids, locale_id):
    """Map each page id in `ids` to the page's live version in `locale_id` (the page
    itself when it has none, as home.i18n.localize_pages does), in one query."""
    if not ids:
        return {}
    chosen_keys = Page.objects.filter(pk__in=ids).values("translation_key")
    rows = Page.objects.filter(
        Q(pk__in=ids) | Q(translation_key__in=chosen_keys, locale_id=locale_id, live=True)
    )
    by_id, in_locale = {}, {}
    for page in rows:
        if page.pk in ids:
            by_id[page.pk] = page
        if page.locale_id == locale_id and page.live:
            in_locale[page.translation_key] = page
    return {
        pk: page if page.locale_id == locale_id else in_locale.get(page.translation_key, page)
        for pk, page in by_id.items()
    }


def _is_current(page, link):
    """Whether `link` leads to the page shown or a section above it (never the home
    page, which is above everything)."""
    if page is None or link.page_pk is None:
        return False
    if link.page_pk == page.pk:
        return True
    return link.page_depth > 2 and page.path.startswith(link.page_path)


@register.inclusion_tag("components/_main_menu.html", takes_context=True)
def main_menu(context):
    """The header menu in the visitor's language, with the current section marked."""
    page = _page(context)
    items = [
        {"url": link.url, "label": link.label, "current": _is_current(page, link)}
        for link in _site_chrome(context)["menu"]
    ]
    return {"items": items}


@register.inclusion_tag("components/_footer.html", takes_context=True)
def site_footer(context):
    """The footer in the visitor's language, with the contact details."""
    chrome = _site_chrome(context)
    return {
        "organisation_name": chrome["organisation_name"],
        "text": chrome["footer_text"],
        "links": chrome["footer_links"],
        "contact": chrome["contact"],
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def contact_details(context):
    """The office's contact settings (language-neutral), from the cached chrome."""
    return _site_chrome(context)["contact"]


@register.simple_tag(takes_context=True)
def organisation_name(context):
    """The organisation's name from the footer snippet, for the contact block."""
    return _site_chrome(context)["organisation_name"]


def _translations(page):
    """Live language versions of `page` by language code, one query per page."""
    cached = getattr(page, "_site_translations", None)
    if cached is None:
        versions = page.get_translations(inclusive=True).live().select_related("locale")
        cached = {version.locale.language_code: version for version in versions}
        page._site_translations = cached
        for version in cached.values():
            if version.pk == page.pk:  # the page's locale comes with it: no query later
                page.locale = version.locale
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
        # The source is one of the page's language versions, which the language
        # switcher fetches anyway; a source that is not live is looked up.
        source = next(
            (version for version in _translations(page).values() if version.pk == page.alias_of_id),
            None,
        ) or Page.objects.select_related("locale").get(pk=page.alias_of_id)
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
        "ancestors": _ancestors(page),
        "page": page,
        "request": context.get("request"),
    }


def _ancestors(page):
    """The pages above `page`, from the home page down. A page served by Wagtail
    knows its parents already (the home page's `route` keeps them), which saves a
    query; otherwise they are fetched."""
    ancestors = []
    current = page
    while current.depth > 2:
        current = getattr(current, "_cached_parent_obj", None)
        if current is None:
            return list(page.get_ancestors().filter(depth__gt=1))
        ancestors.insert(0, current)
    return ancestors


@register.simple_tag(takes_context=True)
def page_querystring(context, number, param=""):
    """The current query string with page `number` under `param` ("page" if empty),
    so that a page with two paginated lists can tell their links apart."""
    return querystring(context, **{param or "page": number})


@register.filter
def elided_page_range(page_obj):
    """Page numbers around the current one, with … for the gaps (Django's own)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
