from django.core.management.base import BaseCommand, CommandError

from backups import archive, folder


class Command(BaseCommand):
    help = (
        "Check a backup (the newest unless named): every file against the manifest's "
        "checksums, and that the database's dump opens and holds the rows counted."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", nargs="?", help="A backup's name in BACKUP_DIR, or its path.")

    def handle(self, *args, backup=None, **options):
        path = folder.find(backup)
        found = archive.problems(path)
        if found:
            raise CommandError(f"Backup {path.name} is damaged: " + "; ".join(found) + ".")
        manifest = archive.read_manifest(path)
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backup {path.name} is sound: the database ({len(tables)} tables, "
            f"{sum(tables.values())} rows) and {len(manifest['media'])} media files."
        )
