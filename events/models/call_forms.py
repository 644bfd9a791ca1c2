"""The application form of a call for cooperation: its fields, defined by staff in the
admin with Wagtail's form builder (see public_forms.models for what they share with
the survey's fields)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

from home.admin_forms import SourceLocaleChoicesForm
from public_forms.models import TranslatableFormField


class CallFormField(TranslatableFormField):
    page = ParentalKey("events.CallPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(TranslatableFormField.Meta):
        verbose_name = _("application form field")
        verbose_name_plural = _("application form fields")


class CallPageForm(SourceLocaleChoicesForm, WagtailAdminFormPageForm):
    """Relation fields offer English pages only, and form fields' names must differ."""
