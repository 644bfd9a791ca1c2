"""Template tags for the shared blocks."""

from django import template
from django.utils.safestring import mark_safe
from wagtail import hooks

from home.blocks import SUBSCRIPTION_FORM_HOOK

register = template.Library()


@register.simple_tag(takes_context=True)
def subscription_form(context):
    """The subscription form registered by the app that keeps the mailing list, or
    nothing when no such app is installed."""
    return mark_safe("".join(fn(context) for fn in hooks.get_hooks(SUBSCRIPTION_FORM_HOOK)))  # noqa: S308 (rendered by the registering app's templates)
