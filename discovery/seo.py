"""Helpers for the metadata in a page's <head>: Open Graph, and schema.org JSON-LD.

JSON-LD goes in `<script type="application/ld+json">`: data that browsers never run,
so the Content Security Policy has nothing to allow and the cached page holds no
nonce. It is still parsed as HTML first, so `<`, `>` and `&` are written as JSON
escapes: a title holding `</script>` cannot end the element.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

# The rendition shared on social networks: the size Facebook and LinkedIn ask for.
SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"
# og:locale takes language_TERRITORY; the office writes for Belgium and Luxembourg.
OG_LOCALES = {"en": "en_GB", "fr": "fr_BE", "nl": "nl_BE"}

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`data` (a dict, or None for nothing) as a JSON-LD script element."""
    if not data:
        return ""
    text = json.dumps(
        {"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder, ensure_ascii=False
    ).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def share_image(image, request, alt=""):
    """The absolute URL, size and alt text of `image`'s sharing rendition, or None.
    `alt` is the page's own alt text for it (translated with the page), if any."""
    if image is None:
        return None
    # A page's <head> and its JSON-LD both share the image: found once per render.
    rendition = image.__dict__.get("_share_rendition")
    if rendition is None:
        rendition = image.__dict__["_share_rendition"] = image.get_rendition(SHARE_IMAGE_SPEC)
    return {
        "url": request.build_absolute_uri(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or rendition.alt,
    }


def content_language(context, page):
    """The language of the text shown: the source's for an untranslated page (an
    alias, which base.html has looked up as `source_page`)."""
    source = context.get("source_page")
    return (source or page).locale.language_code
