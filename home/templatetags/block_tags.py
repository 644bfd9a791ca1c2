"""Template tags for what other apps add to pages: the shared blocks' forms and what
follows a page's content."""

from django import template
from django.utils.safestring import mark_safe
from wagtail import hooks

from home.blocks import PAGE_APPENDIX_HOOK, SUBSCRIPTION_FORM_HOOK

register = template.Library()


@register.simple_tag(takes_context=True)
def subscription_form(context):
    """The subscription form registered by the app that keeps the mailing list, or
    nothing when no such app is installed."""
    return mark_safe("".join(fn(context) for fn in hooks.get_hooks(SUBSCRIPTION_FORM_HOOK)))  # noqa: S308 (rendered by the registering app's templates)


@register.simple_tag(takes_context=True)
def page_appendix(context):
    """What the installed apps add below a page's content (PAGE_APPENDIX_HOOK), such
    as a discussion; nothing on most pages."""
    return mark_safe("".join(fn(context) for fn in hooks.get_hooks(PAGE_APPENDIX_HOOK)))  # noqa: S308 (rendered by the registering app's templates)
