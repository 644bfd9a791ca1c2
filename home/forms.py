"""Admin form helpers shared by page types."""

from django.forms import ModelChoiceField, ModelMultipleChoiceField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale

from home.i18n import alphabetical_key, localize_pages


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


def country_choices():
    """The English country pages (what subscribers, events and proposals are linked
    to), each labelled with its title in the active language, in that language's
    alphabetical order: choices for a public form."""
    from home.models import CountryPage

    pages = list(CountryPage.objects.live().filter(locale=Locale.get_default()))
    versions = localize_pages(pages, Locale.get_active().pk, specific=False)
    labelled = [(page.pk, versions.get(page.pk, page).title) for page in pages]
    return sorted(labelled, key=lambda choice: alphabetical_key(choice[1]))
