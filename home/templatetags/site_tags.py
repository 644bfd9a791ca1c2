"""Template tags for the site's chrome: menu, footer, language switcher, the notice
of an untranslated page, breadcrumbs and pagination."""

from django import template
from django.conf import settings
from django.template.defaulttags import querystring
from django.utils import translation
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from home.chrome import locale_id, site_chrome
from home.i18n import context_page, in_own_language, live_versions
from home.page_urls import reversed_url, serve_path, url_for

register = template.Library()


@register.inclusion_tag("components/_main_menu.html", takes_context=True)
def main_menu(context):
    """The header menu in the visitor's language, with the current section marked."""
    page = context_page(context)
    items = [
        {"url": link.url, "label": link.label, "current": link.is_current(page)}
        for link in site_chrome(context)["menu"]
    ]
    return {"items": items, "language": site_chrome(context)["menu_language"]}


@register.inclusion_tag("components/_footer.html", takes_context=True)
def site_footer(context):
    """The footer in the visitor's language, with the contact details."""
    chrome = site_chrome(context)
    return {
        "organisation_name": chrome["organisation_name"],
        "text": chrome["footer_text"],
        "language": chrome["footer_language"],
        "links": chrome["footer_links"],
        "contact": chrome["contact"],
        "address": chrome["address"],
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def contact_details(context):
    """The office's contact settings (language-neutral), from the cached chrome."""
    return site_chrome(context)["contact"]


@register.simple_tag(takes_context=True)
def office_address(context):
    """The office's postal address in the visitor's language, from the footer snippet:
    {"text", "language"} (language: the source's, when the footer is not translated)."""
    chrome = site_chrome(context)
    return {"text": chrome["address"], "language": chrome["footer_language"]}


@register.simple_tag(takes_context=True)
def fallback_language(context, snippet):
    """The source language when `snippet` (a partner, a person) stands in for a
    translation the visitor's language does not have yet, else "" (for `lang`)."""
    if snippet is None or snippet.locale_id == locale_id(context):
        return ""
    return settings.LANGUAGE_CODE


@register.simple_tag(takes_context=True)
def organisation_name(context):
    """The organisation's name from the footer snippet, for the contact block."""
    return site_chrome(context)["organisation_name"]


def _home_url(language_code):
    """The home page of a language: `/fr/` (Wagtail serves the localised root)."""
    return serve_path(language_code, "")


@register.simple_tag
def site_url(name, *args):
    """`{% url name *args %}` for an address that is the same on every page of a
    language (the home page, the search), worked out once per process."""
    return reversed_url(name, *args)


@register.inclusion_tag("components/_language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language (its home page where it has no version)."""
    page = context_page(context)
    request = context.get("request")
    versions = live_versions(page) if page else {}
    current = next(
        (code for code, version in versions.items() if version.pk == page.pk),
        translation.get_language(),
    )
    languages = []
    for code, name in settings.LANGUAGES:
        version = versions.get(code)
        url = url_for(version, request) if version else _home_url(code)
        languages.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"languages": languages}


@register.simple_tag(takes_context=True)
def untranslated_source(context):
    """The page an untranslated page stands in for, or None.

    A page not yet translated into a language is a wagtail-localize alias of its
    source page, and a translation published with segments still in the source
    language is no better (home/models/translation_state.py): both are reachable in
    every language, but their text is the source's. The templates say so, point the
    canonical link at the source and mark the text's language.
    """
    page = context_page(context)
    if page is None:
        return None
    if not hasattr(page, "_untranslated_source"):
        page._untranslated_source = _source_of_untranslated(page)
    return page._untranslated_source


def _source_of_untranslated(page):
    # The source is one of the page's language versions, which the language switcher
    # fetches anyway; a source that is not live is looked up.
    versions = live_versions(page)
    if page.alias_of_id:
        source = next(
            (version for version in versions.values() if version.pk == page.alias_of_id),
            None,
        ) or Page.objects.select_related("locale").get(pk=page.alias_of_id)
        return source if source.locale_id != page.locale_id else None
    own = next((version for version in versions.values() if version.pk == page.pk), None)
    if own is None or in_own_language(own):
        return None
    source_code = settings.LANGUAGE_CODE
    return versions.get(source_code) if source_code != own.locale.language_code else None


@register.simple_tag(takes_context=True)
def updated_source(context):
    """The source page of a translation whose source was published again since the
    translation was, or None: the visitor reads the last complete translation and
    is told that the original has changed since (docs/translation.md)."""
    page = context_page(context)
    if page is None or page.alias_of_id or untranslated_source(context) is not None:
        return None
    versions = live_versions(page)
    source = versions.get(settings.LANGUAGE_CODE)
    if source is None or source.pk == page.pk or not page.last_published_at:
        return None
    if source.last_published_at and source.last_published_at > page.last_published_at:
        return source
    return None


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
    page = context_page(context)
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    request = context.get("request")
    return {
        "ancestors": [
            {"url": url_for(ancestor, request), "title": ancestor.title}
            for ancestor in _ancestors(page)
        ],
        "page": {"url": url_for(page, request), "title": page.title},
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
