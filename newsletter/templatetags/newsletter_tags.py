import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from newsletter.forms import ShortSubscribeForm, SubscribeForm
from pagecache.generation import generation

register = template.Library()

TEMPLATE = "newsletter/_subscribe_form.html"
SHORT_TEMPLATE = "newsletter/_subscribe_short_form.html"
# How long a rendered form stays in the cache at most; any content change drops it
# sooner (the key holds the generation), as the site chrome's (home/chrome.py).
FORM_SECONDS = 24 * 60 * 60


@register.simple_tag(takes_context=True)
def subscribe_form(context, short=False):
    """An empty subscription form for a (cacheable) page, rendered: the same HTML for
    every visitor of the page, in the page's language.

    Rendering it costs about as much as an issue's body (its fields' templates, the
    country choices' query), and it changes only with the content (the countries'
    titles) and the page it is on: it is kept in the cache under the page cache's
    generation, which any change to a page increments, and built once per request
    for a page showing it more than once (an issue's "Subscribe" blocks).

    `short`: the home page's form, address and consent only (ShortSubscribeForm).
    """
    request = context.get("request")
    source = request.path if request else ""
    language = translation.get_language()
    kept = (language, source, short)
    if request is not None and kept in request.__dict__.get("_subscribe_forms", {}):
        return request._subscribe_forms[kept]
    digest = hashlib.sha256(source.encode()).hexdigest()[:32]
    key = f"subscribe-form:{generation()}:{language}:{digest}{':short' if short else ''}"
    html = cache.get(key)
    if html is None:
        form_class, template_name = (
            (ShortSubscribeForm, SHORT_TEMPLATE) if short else (SubscribeForm, TEMPLATE)
        )
        html = render_to_string(template_name, {"form": form_class(initial={"source": source})})
        cache.set(key, html, FORM_SECONDS)
    html = mark_safe(html)  # noqa: S308 (rendered from the template just above)
    if request is not None:
        request.__dict__.setdefault("_subscribe_forms", {})[kept] = html
    return html
