from django.conf import settings
from django.core.management.base import BaseCommand

from backups import archive


class Command(BaseCommand):
    help = (
        "Back up the database and the media into BACKUP_DIR (a folder named by the UTC "
        "time, with a manifest of checksums), keeping the newest BACKUP_KEEP backups."
    )

    def handle(self, *args, **options):
        path, manifest, deleted = archive.make()
        rows = sum(manifest["database"]["tables"].values())
        size = sum(entry["size"] for entry in manifest["media"])
        self.stdout.write(
            f"Backup {path.name} written in {path.parent}: the database "
            f"({len(manifest['database']['tables'])} tables, {rows} rows) and "
            f"{len(manifest['media'])} media files ({size} bytes)."
        )
        if deleted:
            self.stdout.write(
                f"Deleted {len(deleted)} older backups (keeping {settings.BACKUP_KEEP}): "
                + ", ".join(deleted)
            )
