import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from newsletter.forms import SubscribeForm
from pagecache.generation import generation

register = template.Library()

TEMPLATE = "newsletter/_subscribe_form.html"
# How long a rendered form stays in the cache at most; any content change drops it
# sooner (the key holds the generation), as the site chrome's (home/chrome.py).
FORM_SECONDS = 24 * 60 * 60


@register.simple_tag(takes_context=True)
def subscribe_form(context):
    """An empty subscription form for a (cacheable) page, rendered: the same HTML for
    every visitor of the page, in the page's language.

    Rendering it costs about as much as an issue's body (its fields' templates, the
    country choices' query), and it changes only with the content (the countries'
    titles) and the page it is on: it is kept in the cache under the page cache's
    generation, which any change to a page increments, and built once per request
    for a page showing it more than once (an issue's "Subscribe" blocks).
    """
    request = context.get("request")
    source = request.path if request else ""
    language = translation.get_language()
    if request is not None and (language, source) in request.__dict__.get("_subscribe_forms", {}):
        return request._subscribe_forms[language, source]
    digest = hashlib.sha256(source.encode()).hexdigest()[:32]
    key = f"subscribe-form:{generation()}:{language}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, {"form": SubscribeForm(initial={"source": source})})
        cache.set(key, html, FORM_SECONDS)
    html = mark_safe(html)  # noqa: S308 (rendered from the template just above)
    if request is not None:
        request.__dict__.setdefault("_subscribe_forms", {})[language, source] = html
    return html
