"""Email each translator what is new for them to translate (run daily)."""

from django.core.management.base import BaseCommand

from translation_workflow.digest import send_translation_digests


class Command(BaseCommand):
    help = (
        "Email each translator the pages and snippets submitted for translation into "
        "their language, or gone out of date in it, since their last digest. Sends "
        "nothing to a translator with nothing new. Run once a day."
    )

    def handle(self, *args, **options):
        sent, failed = send_translation_digests()
        self.stdout.write(f"Translation digests sent: {sent}, failed: {failed}.")
        if failed:
            self.stderr.write(self.style.WARNING("Some digests failed: see the log."))
