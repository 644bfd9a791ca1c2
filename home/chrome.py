"""What the header and footer show in a language: the menu's and the footer's links
(each page in that language), the footer's text and the contact settings.

They are the same on every page of a language, so they are kept in the cache rather
than read again on every page (four queries). The key holds the page cache's
generation (pagecache.generation), which any change to a page, snippet or setting
increments, so an edit shows at once, on every app server.
"""

import json
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from home.compiled_queries import CompiledQuery
from home.i18n import context_page
from home.models import ContactSettings, Footer, MainMenu
from home.page_urls import page_url
from pagecache.generation import generation

# How long the site chrome stays in the cache at most; any content change drops it
# sooner (the key holds the generation).
CHROME_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ChromeLink:
    """A link of the menu or the footer, as rendered (picklable, for the cache)."""

    url: str
    label: str
    page_pk: int | None = None
    page_path: str = ""
    page_depth: int = 0

    def is_current(self, page):
        """Whether the link leads to `page` or a section above it (never the home
        page, which is above everything)."""
        if page is None or self.page_pk is None:
            return False
        if self.page_pk == page.pk:
            return True
        return self.page_depth > 2 and page.path.startswith(self.page_path)


def locale_id(context):
    """The page's locale, else the active language's: chrome follows the content.
    Views without a page (search, subscribe) look the locale up once per request."""
    page = context_page(context)
    if page:
        return page.locale_id
    request = context.get("request")
    found = getattr(request, "_site_locale_id", None)
    if found is None:
        found = active_locale_id()
        if request is not None:
            request._site_locale_id = found
    return found


LOCALES = CompiledQuery(lambda code: Locale.objects.filter(language_code=code).values_list("pk"))


def active_locale_id():
    """`Locale.get_active().pk`, in a query compiled once."""
    try:
        found = LOCALES(code=get_supported_content_language_variant(translation.get_language()))
    except LookupError:
        found = None
    return found[0][0] if found else Locale.get_active().pk


def site_chrome(context):
    """The chrome of the current locale: {"menu", "menu_language", "footer_links",
    "footer_language", "organisation_name", "footer_text", "address", "contact"}, once per
    request and from the cache when it can."""
    request = context.get("request")
    chrome = getattr(request, "_site_chrome_data", None) if request else None
    if chrome is not None:
        return chrome
    locale = locale_id(context)
    key = f"site-chrome:{generation()}:{locale}"
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build_chrome(context, locale)
        cache.set(key, chrome, CHROME_SECONDS)
    if request is not None:
        request._site_chrome_data = chrome
    return chrome


def _snippet_query(model, stream, *fields):
    """The `model` snippets of a locale, else of the default language, by pk: their
    locale, the JSON of their `stream` of links (read as it is stored: only its
    raw data is used) and `fields`."""
    return CompiledQuery(
        lambda locale, default_code: (
            model.objects.filter(
                Q(locale_id=locale, has_untranslated_text=False)
                | Q(locale__language_code=default_code)
            )
            .order_by("pk")
            .annotate(stream_json=Cast(stream, TextField()))
            .values_list("locale_id", "stream_json", *fields)
        )
    )


MENUS = _snippet_query(MainMenu, "items")
FOOTERS = _snippet_query(Footer, "links", "organisation_name", "text", "address")
CONTACT = CompiledQuery(lambda: ContactSettings.base_queryset().order_by("pk")[:1])


def _snippet(query, locale):
    """The snippet's row in `locale`, else the default locale's (one query), and the
    language it is written in when that is not the locale's ("" otherwise). A
    translation that still falls back to source text is passed over for the source."""
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    found = sorted(
        query(locale=locale, default_code=default_code), key=lambda row: row[0] != locale
    )
    if not found:
        return None, ""
    return found[0], "" if found[0][0] == locale else default_code


def _contact(request):
    """ContactSettings.load(request), in a query compiled once."""
    attr_name = ContactSettings.get_cache_attr_name()
    if request is not None and hasattr(request, attr_name):
        return getattr(request, attr_name)
    found = CONTACT()
    if not found:
        return ContactSettings.load(request_or_site=request)
    if request is not None:
        setattr(request, attr_name, found[0])
    return found[0]


def _build_chrome(context, locale):
    (menu, menu_language), (footer, footer_language) = (
        _snippet(MENUS, locale),
        _snippet(FOOTERS, locale),
    )
    links = _stream_links({"menu": menu and menu[1], "footer": footer and footer[1]}, locale)
    return {
        "menu": links["menu"],
        "menu_language": menu_language,
        "footer_links": links["footer"],
        "footer_language": footer_language,
        "organisation_name": footer[2] if footer else "",
        "footer_text": footer[3] if footer else "",
        "address": footer[4] if footer else "",
        "contact": _contact(context.get("request")),
    }


def _stream_links(streams, locale):
    """The links of LinkBlock streams ({name: their JSON}), each chosen page in the locale.

    Read from the streams' raw data, so that the pages they choose come in one query
    with their versions in the locale (Wagtail would fetch each stream's chosen pages,
    then `localize_stream` their versions: two queries a stream).
    """
    raw = {
        name: [
            child["value"]
            for child in (json.loads(stream) if stream else [])
            if child["type"] == "link"
        ]
        for name, stream in streams.items()
    }
    chosen = {value.get("page") for values in raw.values() for value in values} - {None}
    pages = _pages_in_locale(chosen, locale)
    paths = Site.get_site_root_paths()
    links = {}
    for name, values in raw.items():
        links[name] = []
        for value in values:
            page = pages.get(value.get("page"))
            if page is not None:
                # `page.url` of the page, as Wagtail gives it without a request.
                url, title = page_url(page.url_path, paths=paths), page.title
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


@dataclass(frozen=True)
class _Page:
    pk: int
    translation_key: str
    locale_id: int
    live: bool
    title: str
    url_path: str
    path: str
    depth: int


PAGES = CompiledQuery(
    lambda ids, locale: Page.objects.filter(
        Q(pk__in=ids)
        | Q(
            translation_key__in=Page.objects.filter(pk__in=ids).values("translation_key"),
            locale_id=locale,
            live=True,
        )
    ).values_list(*(field.name for field in fields(_Page)))
)


def _pages_in_locale(ids, locale):
    """Map each page id in `ids` to the page's live version in `locale` (the page
    itself when it has none, as home.i18n.localize_pages does), in one query."""
    if not ids:
        return {}
    by_id, in_locale = {}, {}
    for page in (_Page(*row) for row in PAGES(ids=sorted(ids), locale=locale)):
        if page.pk in ids:
            by_id[page.pk] = page
        if page.locale_id == locale and page.live:
            in_locale[page.translation_key] = page
    return {
        pk: page if page.locale_id == locale else in_locale.get(page.translation_key, page)
        for pk, page in by_id.items()
    }
