"""The public newsletter forms: subscribing, accepting an invitation, preferences."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from home.models import country_choices
from newsletter.subscriptions import CONSENT_TEXT, SHORT_CONSENT_TEXT
from public_forms.forms import LanguageSelect
from security.text import VisibleTextFields, hidden_characters


def language_field():
    return forms.ChoiceField(
        label=_("Language of the newsletter"), choices=settings.LANGUAGES, widget=LanguageSelect
    )


def countries_field():
    """Its choices are set when the form is made (`country_choices()`, in the
    language being shown)."""
    return forms.TypedMultipleChoiceField(
        label=_("Countries of interest"),
        help_text=_("Optional: we may write to you about events and calls for these countries."),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )


def consent_field(text=CONSENT_TEXT):
    return forms.BooleanField(
        label=text,
        error_messages={"required": _("Please tick the box to agree, or we cannot subscribe you.")},
    )


class SubscribeForm(VisibleTextFields, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = language_field()
    countries = countries_field()
    consent = consent_field()
    # Where the form was sent from, recorded with the consent. The same for every
    # visitor of a page, so it may sit in cached HTML.
    source = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    # Honeypot: hidden from people (see the template), filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_subscribe_%s")
        super().__init__(*args, **kwargs)
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            self.fields["language"].initial = language
        self.fields["countries"].choices = country_choices()

    @property
    def is_bot(self):
        """Whether the honeypot was filled (read from the raw data: valid or not)."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def clean_email(self):
        email = self.cleaned_data["email"]
        # Refused by the email validator too; said here as the rule that matters:
        # a line break in an address would add headers to the confirmation email.
        if "\r" in email or "\n" in email:
            raise ValidationError(_("Enter a valid email address."), code="invalid")
        return email.lower()

    def clean_source(self):
        source = self.cleaned_data["source"]
        if not source.startswith("/") or hidden_characters(source):
            return ""
        return source


class ShortSubscribeForm(SubscribeForm):
    """The home page's form: the address and the consent only. The newsletter comes
    in the language of the page it was sent from (the view's language); countries
    are offered once the address is confirmed."""

    language = None
    countries = None
    consent = consent_field(SHORT_CONSENT_TEXT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_subscribe_short_%s")
        # SubscribeForm's own set-up concerns the fields left out here.
        super(SubscribeForm, self).__init__(*args, **kwargs)


class ConfirmedCountriesForm(forms.Form):
    """The countries offered below the confirmation: posted to the preferences page
    (its signed link) with the language the subscriber has."""

    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)
    countries = countries_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_countries_%s")
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()


class PreferencesForm(forms.Form):
    """A subscriber's choices, changed from the link in every email."""

    language = language_field()
    countries = countries_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_preferences_%s")
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()


class AcceptInvitationForm(forms.Form):
    """An imported contact's answer to the invitation: consent, language, countries.
    No address field: the signed link says whose invitation it is."""

    language = language_field()
    countries = countries_field()
    consent = consent_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_accept_%s")
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()
