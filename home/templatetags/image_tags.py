"""Helpers for the site's responsive images, and Wagtail's `{% picture %}` made cheaper
(the same HTML; docs/architecture.md, "Wagtail's code replaced for speed")."""

import html

from django import template
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags.wagtailimages_tags import PictureNode as WagtailPictureNode
from wagtail.images.templatetags.wagtailimages_tags import image as wagtail_image_tag

from home.wagtail_rendition_cache import filter_for

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


class PictureNode(WagtailPictureNode):
    """Wagtail's `{% picture %}` with its filters parsed once, when the template is
    compiled, and its HTML built by `picture_html`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = [filter_for(spec) for spec in Filter.expand_spec(self.filter_specs)]

    def get_filters(self):
        return self.filters

    def render(self, context):
        if self.output_var_name:
            return super().render(context)
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = get_renditions_or_not_found(image, self.filters)
        attrs = {name: value.resolve(context) for name, value in self.attrs.items()}
        return picture_html(renditions, attrs)


@register.tag
def picture(parser, token):
    """Wagtail's `{% picture %}` (same arguments, same HTML), cheaper to render: load
    `image_tags` instead of `wagtailimages_tags` (or after it, which it then replaces)."""
    node = wagtail_image_tag(parser, token)
    return PictureNode(
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )


def picture_html(renditions, attrs):
    """What Wagtail's `Picture(renditions, attrs).__html__()` returns, built without
    its costs (Django's `flatatt`); tests/home/test_pictures.py compares the two."""
    formats = Picture(renditions).formats
    if not formats:
        renditions = list(renditions.values())
        if len(renditions) > 1:
            attrs = {**attrs, "srcset": _srcset(renditions)}
        return mark_safe(f"<picture>{_img(renditions[0], attrs)}</picture>")  # noqa: S308
    fallback = next(f.name for f in reversed(Picture.source_format_order) if f.name in formats)
    sources = []
    for source in Picture.source_format_order:
        if source.name != fallback and source.name in formats:
            srcset = _srcset(formats[source.name])
            sizes = attrs.get("sizes")
            own = {"srcset": srcset, "sizes": sizes, "type": source.mime_type}
            sources.append(f"<source{_attributes(own)}>")
    if len(formats[fallback]) > 1:
        attrs = {**attrs, "srcset": _srcset(formats[fallback])}
    return mark_safe(f"<picture>{''.join(sources)}{_img(formats[fallback][0], attrs)}</picture>")  # noqa: S308


def _srcset(renditions):
    if len(renditions) == 1:
        return renditions[0].url
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def _img(rendition, attrs):
    # AbstractRendition.img_tag: its src, size and alt, the app's defaults, then ours.
    defaults = apps.get_app_config("wagtailimages").default_attrs
    return f"<img{_attributes({**rendition.attrs_dict, **defaults, **attrs})}>"


def _attributes(attrs):
    """Django's `flatatt`, the same string without its lazy-string machinery: sorted
    by name, `None` and `False` left out, `True` bare, each value escaped unless it is
    safe HTML already."""
    pairs = []
    bare = []
    for name, value in attrs.items():
        if isinstance(value, bool):
            if value:
                bare.append(name)
        elif value is not None:
            pairs.append((name, value))
    pairs.sort()
    bare.sort()
    return "".join(f' {_escape(name)}="{_escape(value)}"' for name, value in pairs) + "".join(
        f" {_escape(name)}" for name in bare
    )


def _escape(value):
    # Django's conditional_escape.
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
