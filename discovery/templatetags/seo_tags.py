"""The metadata in a page's <head>: canonical link, description, Open Graph and
Twitter card, hreflang alternates, and the links to the feeds of the visitor's
language. A page type shared as an article says so with `og_type = "article"`."""

from django import template
from django.conf import settings
from django.urls import translate_url
from wagtail.coreutils import get_supported_content_language_variant

from discovery.feeds import site_feeds
from discovery.seo import OG_LOCALES, content_language, json_ld_script, share_image
from home.i18n import context_page, in_own_language, live_versions
from home.models import CountryPage
from home.page_urls import full_url_for, reversed_url

register = template.Library()


@register.inclusion_tag("components/_meta.html", takes_context=True)
def page_meta(context):
    request = context.get("request")
    page = context_page(context)
    meta = {"feeds": _feeds(page)}
    if page is None or request is None:
        return meta
    # An untranslated page (an alias) stands in for its source: that is the canonical
    # address, whose language the text is in.
    source = context.get("source_page")
    canonical = full_url_for(source or page, request)
    versions = live_versions(page)  # first: it also gives the page its locale
    language = content_language(context, page)
    others = [
        code for code, version in versions.items() if in_own_language(version) and code != language
    ]
    image = getattr(page, "listing_image", None)
    meta.update(
        canonical=canonical,
        title=page.seo_title or page.title,
        description=page.search_description or getattr(page, "summary", ""),
        og_type=getattr(page, "og_type", "website"),
        og_locale=OG_LOCALES.get(language, language),
        og_locale_alternates=[OG_LOCALES.get(code, code) for code in sorted(others)],
        image=share_image(image, request, getattr(page, "listing_image_alt", "")),
    )
    return meta


def _feeds(page):
    """The feeds of the visitor's language (and of the country a country page is
    about), for `<link rel="alternate" type="application/rss+xml">`."""
    feeds = [{"title": feed.title, "url": reversed_url(feed.url_name)} for feed in site_feeds()]
    if isinstance(page, CountryPage):
        feeds.append(
            {
                "country": page.title,
                "url": reversed_url("country_feed", page.country.code.lower()),
            }
        )
    return feeds


@register.inclusion_tag("components/_hreflang_links.html", takes_context=True)
def hreflang_links(context):
    """`<link rel="alternate" hreflang>` for each live translation, plus x-default.

    Aliases of untranslated pages are left out: their text is in another language.
    """
    page = context_page(context)
    request = context.get("request")
    if page is None:
        return {"alternates": []}
    versions = {
        code: version for code, version in live_versions(page).items() if in_own_language(version)
    }
    alternates = [
        {"code": code, "url": full_url_for(versions[code], request)}
        for code, _name in settings.LANGUAGES
        if code in versions
    ]
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if default_code in versions:
        alternates.append(
            {"code": "x-default", "url": full_url_for(versions[default_code], request)}
        )
    return {"alternates": alternates}


@register.inclusion_tag("components/_hreflang_links.html", takes_context=True)
def view_hreflang_links(context):
    """The hreflang alternates of a view that is not a page but answers in every
    language at its own prefix ("send us your event"): the same address in each."""
    request = context.get("request")
    if request is None:
        return {"alternates": []}
    urls = {
        code: request.build_absolute_uri(translate_url(request.path, code))
        for code, _name in settings.LANGUAGES
    }
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    alternates = [{"code": code, "url": url} for code, url in urls.items()]
    return {"alternates": [*alternates, {"code": "x-default", "url": urls[default_code]}]}


@register.filter
def json_ld(data):
    """`{{ data|json_ld }}`: a dict as a safely escaped JSON-LD script element."""
    return json_ld_script(data)
