from django.core.cache import caches
from django.core.management.base import BaseCommand

from backups import archive, folder


class Command(BaseCommand):
    help = (
        "Restore a backup into an EMPTY database and an EMPTY media store (refused "
        "otherwise), after checking it as verify_backup does."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A backup's name in BACKUP_DIR, or its path.")

    def handle(self, *args, backup, **options):
        path = folder.find(backup)
        manifest = archive.restore(path)
        # Pages and lookups cached from before would not match the restored rows.
        for alias in caches:
            try:
                caches[alias].clear()
            except Exception as error:  # noqa: BLE001 (the restore itself succeeded)
                self.stderr.write(f"The cache {alias!r} could not be emptied ({error}).")
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Restored backup {path.name}: the database ({len(tables)} tables, "
            f"{sum(tables.values())} rows) and {len(manifest['media'])} media files."
        )
