"""Email each moderator what waits in the discussions (run daily)."""

from django.core.management.base import BaseCommand

from discussion.digest import send_digests


class Command(BaseCommand):
    help = (
        "Email each moderator (Editors and Moderators with the moderate permission, "
        "and superusers) how many contributions wait for moderation or were reported, "
        "per page, with a link to the admin. Sends nothing when nothing waits. Run "
        "once a day."
    )

    def handle(self, *args, **options):
        sent, failed = send_digests()
        self.stdout.write(f"Discussion digests sent: {sent}, failed: {failed}.")
        if failed:
            self.stderr.write(self.style.WARNING("Some digests failed: see the log."))
