"""Apply the demo's shipped French and Dutch translations with wagtail-localize.

The translations live as PO files in demo/translations/<language>/, one per
page or snippet, exactly as a translator downloads them from the admin. Applying
them goes through wagtail-localize's own machinery (`Translation.import_po`, then
`save_target`), so the French and Dutch trees are real translations that stay in
sync with the English source. PO entries are keyed by StreamField block ids and
inline objects' translation keys: the demo makes those stable (see builder.py),
so the files match every fresh build.
"""

from pathlib import Path

import polib
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from demo.builder import stable_uuid

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
HEADER = "X-WagtailLocalize-TranslationID"


class StaleTranslationFile(Exception):
    """A shipped PO file no longer matches the demo content it translates."""


def po_path(language_code, key):
    return TRANSLATIONS_DIR / language_code / f"{key}.po"


def translation_for(obj, locale, key):
    """wagtail-localize's Translation of `obj` into `locale`, with a stable id."""
    source, _ = TranslationSource.update_or_create_from_instance(obj)
    translation, _ = Translation.objects.get_or_create(
        source=source,
        target_locale=locale,
        defaults={"uuid": stable_uuid(f"translation:{key}:{locale.language_code}")},
    )
    return translation


def is_translated(obj, locale):
    """Whether `obj` already has a real (non-alias) version in `locale`."""
    target = obj.get_translation_or_none(locale)
    if target is None:
        return False
    return not (isinstance(target, Page) and target.alias_of_id)


def ordered(registry):
    """Snippets first (pages refer to them), then pages, parents before children."""
    snippets = [(k, o) for k, o in registry.items() if not isinstance(o, Page)]
    pages = [(k, o) for k, o in registry.items() if isinstance(o, Page)]
    return snippets + pages


def apply_demo_translations(registry, *, strict=True):
    """Translate every demo object that has a PO file and no translation yet.

    Returns the number of objects translated. With `strict`, a PO entry that no
    longer matches its object raises StaleTranslationFile instead of being skipped.
    """
    applied = 0
    for locale in Locale.objects.exclude(pk=Locale.get_default().pk):
        for key, obj in ordered(registry):
            path = po_path(locale.language_code, key)
            if not path.exists() or is_translated(obj, locale):
                continue
            po = polib.pofile(str(path))
            if len(po) and not po.translated_entries():
                continue  # nothing translated yet: the page stays an alias
            translation = translation_for(obj, locale, key)
            po.metadata[HEADER] = str(translation.uuid)
            warnings = translation.import_po(po, tool_name="load_demo")
            if warnings and strict:
                raise StaleTranslationFile(f"{path}: {warnings}")
            translation.save_target(publish=True)
            applied += 1
    return applied


def refresh_translations(key, obj):
    """Carry a change of `obj`'s untranslated fields (a footer link added to an older
    demo) into its existing translations, through wagtail-localize's sync."""
    for locale in Locale.objects.exclude(pk=Locale.get_default().pk):
        if is_translated(obj, locale):
            translation_for(obj, locale, key).save_target(publish=True)


def export_demo_translations(registry, language_codes):
    """Write (or refresh) the PO file of every demo object for each language,
    keeping the translations already in the files. Returns the paths written."""
    written = []
    for code in language_codes:
        locale = Locale.objects.get(language_code=code)
        for key, obj in ordered(registry):
            translation = translation_for(obj, locale, key)
            fresh = translation.export_po()
            path = po_path(code, key)
            if path.exists():
                known = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))}
                for entry in fresh:
                    entry.msgstr = known.get((entry.msgctxt, entry.msgid), entry.msgstr)
            fresh.metadata = {
                "Project-Id-Version": "diaspora-engagement demo content",
                "Language": code,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=utf-8",
                HEADER: str(translation.uuid),
            }
            fresh.header = f"Demo content: {obj} ({type(obj).__name__}), in {code}."
            path.parent.mkdir(parents=True, exist_ok=True)
            fresh.save(str(path))
            written.append(path)
    return written
