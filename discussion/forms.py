"""The public form under a page, and the admin's form for the office's answer.

Plain text only: HTML tags and invisible direction controls are refused with a
message (security.text), never removed silently. The email address is asked for to
confirm it once and to tell the author what became of their words; it is never shown.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from discussion.models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, TEXT_MIN_LENGTH
from public_forms.forms import LanguageSelect
from security.text import VisibleTextFields, no_html

# Whenever the meaning of CONSENT_TEXT changes, change its version: each
# contribution records the words and the version it was posted under.
CONSENT_TEXT_VERSION = "2026-12"
CONSENT_TEXT = _(
    "I agree that IOM Belgium and Luxembourg publishes my name and my contribution "
    "under this page once a moderator has read it, and keeps my email address to "
    "confirm it and to tell me what becomes of my contribution. My address is never "
    "published."
)
# At most this many lines: a wall of blank lines is not a contribution.
TEXT_MAX_LINES = 60


def language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


class ContributionForm(VisibleTextFields, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Shown with your contribution. A first name is enough."),
        validators=[no_html],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_(
            "Never shown. The first time, we send you a link to confirm it; we then "
            "tell you when your contribution is published or answered."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(
        label=_("Your contribution"),
        min_length=TEXT_MIN_LENGTH,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Plain text, up to 3,000 characters. Links are shown as text."),
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.ChoiceField(
        label=_("Language of your contribution"),
        choices=language_choices,
        widget=LanguageSelect,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Please tick the box to agree, or we cannot publish your contribution.")
        },
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Honeypot: hidden from people (components/_honeypot.html), filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, prefix_id="discussion", **kwargs):
        kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())  # one line, single spaces

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if text.count("\n") >= TEXT_MAX_LINES:
            raise forms.ValidationError(
                _("Please use fewer lines (at most %(lines)s).") % {"lines": TEXT_MAX_LINES},
                code="lines",
            )
        if len(text) < TEXT_MIN_LENGTH:
            raise forms.ValidationError(_("Please write a few words."), code="short")
        return text


class OfficeAnswerForm(VisibleTextFields, forms.Form):
    """Staff answering a contribution in the admin, as the office."""

    text = forms.CharField(
        label=_("The office's answer"),
        max_length=TEXT_MAX_LENGTH,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    language = forms.ChoiceField(label=_("Language of the answer"), choices=language_choices)

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n").strip()
