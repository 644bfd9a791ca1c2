"""The page editor's form for pages that point at other pages or snippets."""

from django.forms import ModelChoiceField, ModelMultipleChoiceField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale


class SourceLocaleChoicesForm(WagtailAdminPageForm):
    """Offer only source-language (English) pages and snippets in relation fields.

    Relations always point at the English object; pages show its translation in
    their own language (see home.i18n). Without this, the country list would
    show every country three times, once per language.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default_locale_id = Locale.get_default().pk
        for field in self.fields.values():
            if isinstance(field, ModelChoiceField | ModelMultipleChoiceField):
                model = field.queryset.model
                if hasattr(model, "translation_key") and model is not Locale:
                    field.queryset = field.queryset.filter(locale_id=default_locale_id)
