"""Post Wagtail admin page forms the way the editor's browser does."""

from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

__all__ = ["inline_formset", "page_form", "rich_text", "streamfield", "field_errors"]


def page_form(fields, action="action-publish"):
    """Form data for a page editor: `fields` plus the comment formset every page form has."""
    return nested_form_data({"comments": inline_formset([]), action: action, **fields})


def field_errors(response):
    """The error messages shown in the admin form, as text."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(e.get_text(" ").split()) for e in soup.select(".error-message")]
