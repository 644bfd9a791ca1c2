"""Text that visitors type: refused when it would not display as typed, and
isolated where staff read it.

Invisible format characters (Unicode category Cf) and control characters (Cc)
change how text around them displays without showing themselves: a right-to-left
override (U+202E) in a name reverses the rest of its line in the admin's listing,
so "‮gnp.exe" reads "exe.png", and an isolate left open swallows the next column's
direction. Forms refuse them with a message (`VisibleTextFields`) rather than
removing them silently: the person sees what was wrong and what will be stored.
Two format characters are kept: the zero-width non-joiner and joiner (U+200C,
U+200D), which Persian, Kurdish and Indic scripts need to spell words and emoji
need to combine. Tab and line breaks are kept in multi-line answers.

Listings still wrap what visitors typed in `<bdi>` (`isolated`,
`IsolatedColumnsMixin`): an Arabic or Hebrew name, or a row stored before these
checks, then cannot reorder the cells beside it.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
LINE_BREAKS = frozenset("\t\n\r")
# Unicode's own line and paragraph separators break a line like "\n" does.
ONE_LINE_SEPARATORS = frozenset("\u2028\u2029")

HIDDEN_CHARACTERS_MESSAGE = _(
    "This contains invisible characters that change how text is displayed (such as "
    "text direction controls). Please type it again without them."
)


def hidden_characters(value, *, multiline=False):
    """The characters of `value` that would not display as typed."""
    allowed = LINE_BREAKS | ONE_LINE_SEPARATORS if multiline else frozenset()
    return [
        char
        for char in value
        if char not in allowed
        and char not in KEPT_FORMAT_CHARACTERS
        and (unicodedata.category(char) in ("Cf", "Cc") or char in ONE_LINE_SEPARATORS)
    ]


class VisibleText:
    """A form field validator refusing `hidden_characters`."""

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        if isinstance(value, str) and hidden_characters(value, multiline=self.multiline):
            raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")

    def __eq__(self, other):
        return isinstance(other, VisibleText) and other.multiline == self.multiline


class VisibleTextFields:
    """Mixed into a public form: every text field it shows refuses hidden
    characters; a field with a text area takes tabs and line breaks too. (Hidden
    inputs are left to the form: the visitor could not correct them.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not field.widget.is_hidden:
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators = [*field.validators, VisibleText(multiline=multiline)]


def isolated(value):
    """`value` in `<bdi>`, escaped: its direction cannot spill over what follows."""
    if value is None or value == "":
        return value
    return format_html("<bdi>{}</bdi>", value)


class _IsolatedValue:
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if context.get("raw_value") is not None:
            context["value"] = isolated(context["value"])
        return context


class IsolatedColumnsMixin:
    """For a Wagtail admin index view: the columns named in `isolated_columns`
    (what visitors typed) show their text in `<bdi>`."""

    isolated_columns = ()

    def _get_custom_column(self, field_name, column_class=None, **kwargs):
        # (Imported here: this module is also imported by forms, before the admin.)
        from wagtail.admin.ui.tables import Column

        column_class = column_class or Column
        if field_name in self.isolated_columns:
            column_class = type(
                f"Isolated{column_class.__name__}", (_IsolatedValue, column_class), {}
            )
        return super()._get_custom_column(field_name, column_class, **kwargs)


# Something that reads as an HTML tag: "<" then a letter, "/", "!" or "?", up to ">".
# ("<18 and >65" is not one.)
HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?][^<>]*>")


def no_html(value):
    """A form field validator: public forms take plain text only."""
    if HTML_TAG.search(value or ""):
        raise ValidationError(
            _("Please remove the HTML tags (text between < and >): we only take plain text."),
            code="html",
        )
