"""English, French and Dutch exist from the first migration, and the French and
Dutch trees follow the English one (wagtail-localize creates an alias of every
English page not yet translated)."""

from django.db import migrations

LANGUAGES = ["en", "fr", "nl"]
SOURCE = "en"


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    for code in LANGUAGES:
        if code != SOURCE:
            LocaleSynchronization.objects.get_or_create(
                locale=locales[code], defaults={"sync_from": locales[SOURCE]}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
