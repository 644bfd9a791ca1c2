"""Create or complete the translator groups and their permissions (idempotent)."""

from django.core.management.base import BaseCommand

from translation_workflow.roles import setup_translator_roles


class Command(BaseCommand):
    help = (
        "Create the groups 'Translators (French)' and 'Translators (Dutch)' with rights "
        "on their language's pages and snippets only, and let Editors submit "
        "translations. Run after the locale home pages exist; safe to run again."
    )

    def handle(self, *args, **options):
        done = setup_translator_roles()
        for line in done:
            if line.startswith("warning:"):
                self.stderr.write(self.style.WARNING(line))
            else:
                self.stdout.write(line)
        if not any(not line.startswith("warning:") for line in done):
            self.stdout.write("Translator roles already up to date.")
