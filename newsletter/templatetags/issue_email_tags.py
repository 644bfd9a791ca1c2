"""The issue as an email inside a template: the page editor's "Email" preview."""

from django import template
from django.utils.safestring import mark_safe

from newsletter.issue_email import render_issue

register = template.Library()


@register.simple_tag
def issue_email_html(page):
    """The HTML email that subscribers reading the page's language receive."""
    return mark_safe(render_issue(page, page.locale.language_code).html)  # noqa: S308 (our templates, CSS inlined)
