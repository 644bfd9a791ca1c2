"""Admin form helpers shared by page types."""

from django.conf import settings
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.utils import translation
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from home.i18n import alphabetical_key


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

    # One query: the English pages and their live versions in the active language
    # (by language code, which saves looking the two locales up).
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    try:
        active = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        active = default
    rows = (
        CountryPage.objects.live()
        .filter(locale__language_code__in={default, active})
        .values_list("pk", "translation_key", "title", "locale__language_code")
    )
    pages = [(pk, key, title) for pk, key, title, code in rows if code == default]
    titles = {key: title for _, key, title, code in rows if code == active}
    labelled = [(pk, titles.get(key, title)) for pk, key, title in pages]
    return sorted(labelled, key=lambda choice: alphabetical_key(choice[1]))
