"""The metadata in a page's <head>: canonical link, description, Open Graph and
Twitter card, and the links to the feeds of the visitor's language."""

from django import template
from django.urls import reverse

from home.seo import OG_LOCALES, content_language, json_ld_script, share_image
from home.templatetags.site_tags import _page, _translations

register = template.Library()

# Page types shared as articles; everything else is a website page (Open Graph has
# no event type). Labels, so that home/ imports neither app.
ARTICLE_TYPES = {"stories.storypage", "newsletter.newsletterissuepage"}


@register.inclusion_tag("components/_meta.html", takes_context=True)
def page_meta(context):
    request = context.get("request")
    page = _page(context)
    meta = {"feeds": _feeds(page)}
    if page is None or request is None:
        return meta
    # An untranslated page (an alias) stands in for its source: that is the canonical
    # address, whose language the text is in.
    source = context.get("source_page")
    canonical = (source or page).get_full_url(request)
    versions = _translations(page)  # first: it also gives the page its locale
    language = content_language(context, page)
    others = [
        code
        for code, version in versions.items()
        if version.alias_of_id is None and code != language
    ]
    image = getattr(page, "listing_image", None)
    meta.update(
        canonical=canonical,
        title=page.seo_title or page.title,
        description=page.search_description or getattr(page, "summary", ""),
        og_type="article" if page._meta.label_lower in ARTICLE_TYPES else "website",
        og_locale=OG_LOCALES.get(language, language),
        og_locale_alternates=[OG_LOCALES.get(code, code) for code in sorted(others)],
        image=share_image(image, request),
    )
    return meta


def _feeds(page):
    """The feeds of the visitor's language (and of the country a country page is
    about), for `<link rel="alternate" type="application/rss+xml">`."""
    feeds = [
        {"kind": "stories", "url": reverse("stories:feed")},
        {"kind": "newsletter", "url": reverse("newsletter:feed")},
    ]
    if page is not None and page._meta.label_lower == "home.countrypage":
        feeds.append(
            {
                "kind": "country",
                "name": page.title,
                "url": reverse("country_feed", args=[page.country.code.lower()]),
            }
        )
    return feeds


@register.filter
def json_ld(data):
    """`{{ data|json_ld }}`: a dict as a safely escaped JSON-LD script element."""
    return json_ld_script(data)
