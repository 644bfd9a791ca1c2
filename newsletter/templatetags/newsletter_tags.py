from django import template

from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/_subscribe_form.html", takes_context=True)
def subscribe_form(context):
    """An empty subscription form for a (cacheable) page: the same HTML for every
    visitor of the page, in the page's language."""
    request = context.get("request")
    source = request.path if request else ""
    return {"form": SubscribeForm(initial={"source": source})}
