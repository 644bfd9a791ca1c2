"""Helpers for the site's responsive images."""

from django import template

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
