"""The public registration form of an event."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models.registration import consent_text
from public_forms.guards import HONEYPOT_FIELD
from security.text import VisibleTextFields


class RegistrationForm(VisibleTextFields, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send your confirmation here, with a link to cancel."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    diaspora_member = forms.BooleanField(label=_("I am a member of the diaspora"), required=False)
    consent = forms.BooleanField(
        error_messages={"required": _("Please tick the box to agree, or we cannot register you.")}
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_register_%s")
        super().__init__(*args, **kwargs)
        # Honeypot: hidden from people (see the template), filled in by bots.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        # In the active language, with the retention period filled in.
        self.fields["consent"].label = consent_text()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_email(self):
        email = self.cleaned_data["email"]
        # A line break in an address would add headers to the confirmation email.
        if "\r" in email or "\n" in email:
            raise ValidationError(_("Enter a valid email address."), code="invalid")
        return email.lower()
