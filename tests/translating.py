"""Translate pages in tests the way wagtail-localize does in the admin."""

from wagtail_localize.models import Translation, TranslationSource


def translate(obj, locale, **changes):
    """Translate `obj` into `locale` with wagtail-localize (again, if the demo already
    did), then apply `changes` to the translation and publish it."""
    source, _ = TranslationSource.update_or_create_from_instance(obj)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    translation.save_target(publish=True)
    translated = obj.get_translation(locale)
    if changes:
        for field, value in changes.items():
            setattr(translated, field, value)
        translated.save_revision().publish()
    return translated
