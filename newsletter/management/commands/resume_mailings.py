from django.core.management.base import BaseCommand
from django.utils import timezone

from newsletter.models import Mailing
from newsletter.sending import enqueue


class Command(BaseCommand):
    help = (
        "Queue again every mailing that is sending or due. Run it when a task worker "
        "starts (`make worker` does): a worker that was killed mid-send leaves its task "
        "marked as running, and this hands the rest of the list to the new worker. "
        "Harmless when nothing was interrupted: workers never send a row twice."
    )

    def handle(self, *args, **options):
        due = Mailing.objects.filter(status=Mailing.Status.SENDING) | Mailing.objects.filter(
            status=Mailing.Status.SCHEDULED, send_after__lte=timezone.now()
        )
        count = 0
        for mailing in due:
            enqueue(mailing)
            count += 1
        self.stdout.write(f"Queued {count} mailing(s).")
