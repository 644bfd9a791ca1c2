"""The parts every public form page's form has besides its questions."""

from django import forms

from public_forms.guards import HONEYPOT_FIELD
from security.text import VisibleTextFields

CONSENT_FIELD = "consent"


class LanguageSelect(forms.Select):
    """Each language named in itself ("Nederlands"), marked with its `lang`."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class PublicFormBase(VisibleTextFields, forms.Form):
    """Mixed into the form class Wagtail's builder makes: the honeypot and consent
    fields apart from the questions, for the template; answers that would not
    display as typed refused (security/text.py)."""

    @property
    def questions(self):
        return [f for f in self.visible_fields() if f.name not in {HONEYPOT_FIELD, CONSENT_FIELD}]

    @property
    def consent_field(self):
        return self[CONSENT_FIELD]

    @property
    def honeypot_field(self):
        return self[HONEYPOT_FIELD]
