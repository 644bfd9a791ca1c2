"""The daily clean-up commands' common part: personal data kept only as long as it
serves its purpose (`purge_personal_data`, which runs every app's purges, and the
older `purge_subscribers`, `purge_registrations`, `purge_discussion`)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


class PurgeCommand(BaseCommand):
    """Deletes what `expired(now)` returns, a {label: queryset} in one transaction,
    and says how many of each; `--dry-run` only counts. Subclasses set `help` and
    `summary`, a sentence with one `{label}` field per queryset."""

    summary = ""

    def expired(self, now):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            expired = self.expired(timezone.now())
            counts = {label: queryset.count() for label, queryset in expired.items()}
            if not dry_run:
                for queryset in expired.values():
                    queryset.delete()
        self.report("Would delete" if dry_run else "Deleted", counts)

    def report(self, verb, counts):
        self.stdout.write(f"{verb} {self.summary.format(**counts)}")
