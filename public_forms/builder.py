"""Form pages whose choices read in the visitor's language but store one value.

Wagtail's form builder uses each choice as both the stored value and the label,
so translating the choices would split one survey's answers by language
(wagtail-localize issue #539). Here the choices stay the same in every language
(synchronised, never translated) and a parallel, translatable list of labels
gives the text the visitor reads.
"""

import django.forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class TranslatedChoicesFormBuilder(FormBuilder):
    def get_formatted_field_choices(self, field):
        choices = super().get_formatted_field_choices(field)
        labels = split_lines(getattr(field, "choice_labels", ""))
        if len(labels) != len(choices):
            return choices  # no (complete) labels: show the stored values
        return [(value, label) for (value, _), label in zip(choices, labels, strict=True)]

    def create_dropdown_field(self, field, options):
        # Start on an empty choice, so nobody answers the first option by leaving
        # the list alone; a required list then asks for a choice.
        options["choices"] = [("", _("Choose…")), *self.get_formatted_field_choices(field)]
        return django.forms.ChoiceField(**options)
