"""Delete finished task rows and the heartbeats of workers long gone. Meant to run
once a day with the other clean-ups (docs/production.md)."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from health.models import WorkerHeartbeat


class Command(BaseCommand):
    help = (
        "Delete finished task results of every database task backend (successful ones "
        "after --days, failed ones after --failed-days, kept longer to look into; by "
        "default RETENTION's finished_tasks and failed_tasks), and "
        "heartbeats silent for a day. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.RETENTION["finished_tasks"])
        parser.add_argument("--failed-days", type=int, default=settings.RETENTION["failed_tasks"])

    def handle(self, *args, days, failed_days, verbosity=1, **options):
        for backend in task_backends.all():
            if isinstance(backend, DatabaseBackend):
                # django-tasks-db's own command, one backend at a time.
                call_command(
                    "prune_db_task_results",
                    "--backend",
                    backend.alias,
                    "--queue-name",
                    "*",
                    "--min-age-days",
                    str(days),
                    "--failed-min-age-days",
                    str(failed_days),
                    verbosity=verbosity,
                    stdout=self.stdout,
                )
        gone, _ = WorkerHeartbeat.objects.filter(
            beat_at__lt=timezone.now() - timedelta(days=1)
        ).delete()
        self.stdout.write(f"Deleted {gone} heartbeat(s) of stopped workers.")
