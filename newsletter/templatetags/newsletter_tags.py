from django import template
from django.utils import translation

from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/_subscribe_form.html", takes_context=True)
def subscribe_form(context):
    """An empty subscription form for a (cacheable) page: the same HTML for every
    visitor of the page, in the page's language.

    A page showing it more than once (an issue's "Subscribe" blocks and the form at
    its foot) builds it once: its country choices cost a query.
    """
    request = context.get("request")
    if request is None:
        return {"form": SubscribeForm(initial={"source": ""})}
    forms = request.__dict__.setdefault("_subscribe_forms", {})
    language = translation.get_language()
    if language not in forms:
        forms[language] = SubscribeForm(initial={"source": request.path})
    return {"form": forms[language]}
