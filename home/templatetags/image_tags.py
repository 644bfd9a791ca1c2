"""Helpers for the site's responsive images."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def is_lead_block(context, value):
    """Whether `value` is the first block of the page's body.

    That block sits at the top of the page, so its image loads at once and with high
    priority (it is likely the largest thing painted); every other image loads lazily.
    """
    body = getattr(context.get("page"), "body", None)
    try:
        return body[0].value is value
    except (TypeError, IndexError, KeyError, AttributeError):
        return False


@register.simple_tag
def image_alt(own_alt, image):
    """The alt text of `image` where it is shown: the page's own (translated with the
    page), else the image's, which is written in the source language.

    Returns {"text", "lang"}: `lang` is the source language when the image's alt text
    stands in on a page in another language (the image's `lang` attribute),
    else None (no attribute).
    """
    if own_alt or image is None:
        return {"text": own_alt or "", "lang": None}
    source = settings.LANGUAGE_CODE
    return {
        "text": image.default_alt_text,
        "lang": source if translation.get_language() != source else None,
    }
