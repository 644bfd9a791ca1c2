"""One backup: the database's dump, a copy of the media and a manifest (what was
written, with sizes and SHA-256 checksums, and the rows of every table), made,
checked and put back.

    <BACKUP_DIR>/20261204T174603Z/
        manifest.json
        database.sqlite3 | database.pgdump
        media/<every file of the default storage>

The database is dumped before the media are copied: a file uploaded meanwhile is
in the backup without a row pointing at it (harmless), never the reverse."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from . import database, folder, media

FORMAT = 1


def make(now=None):
    """Writes a complete backup in BACKUP_DIR and keeps the newest BACKUP_KEEP;
    returns (its path, its manifest, the names of the backups deleted)."""
    destination = folder.backup_dir()
    now = now or timezone.now()
    name = now.astimezone(timezone.UTC).strftime("%Y%m%dT%H%M%SZ")
    mask = os.umask(0o077)  # personal data: readable by the site's user only
    try:
        with folder.locked(destination):
            return _make(destination, name, now)
    finally:
        os.umask(mask)


def _make(destination, name, now):
    folder.remove_leftovers(destination)
    with folder.new_backup(destination, name) as partial:
        dump = partial / database.dump_name()
        counts = database.dump(dump)
        listed = media.copy_out(partial / "media")
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "database": {
                "engine": database.engine(),
                "file": dump.name,
                "size": dump.stat().st_size,
                "sha256": media.sha256(dump),
                "tables": counts,
            },
            "media": listed,
        }
        _write(partial / folder.MANIFEST, manifest)
    deleted = folder.prune(destination, settings.BACKUP_KEEP)
    return destination / name, manifest, deleted


def read_manifest(path):
    try:
        manifest = json.loads((path / folder.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"The manifest of {path.name} cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"The manifest of {path.name} is not one this site writes.")
    return manifest


def problems(path):
    """What is wrong with the backup at `path` (an empty list: it is sound): every
    file present with its size and checksum, no file the manifest does not list,
    and the dump opens and holds the rows counted."""
    manifest = read_manifest(path)
    found = []
    dump = manifest["database"]
    if not _matches(path / dump["file"], dump):
        found.append("the database's dump is missing or differs from its checksum")
    bad = [
        index
        for index, entry in enumerate(manifest["media"], 1)
        if not _matches(path / "media" / entry["name"], entry)
    ]
    if bad:
        found.append(
            f"{len(bad)} media files are missing or differ from their checksums "
            f"(the first: entry {bad[0]} of the manifest)"
        )
    listed = {entry["name"] for entry in manifest["media"]}
    extra = [name for name in _files(path / "media") if name not in listed]
    if extra:
        found.append(f"{len(extra)} media files are not in the manifest")
    if not found:
        found += database.check(path / dump["file"], dump["tables"])
    return found


def restore(path):
    """Puts the backup at `path` back into the site's empty database and media store."""
    manifest = read_manifest(path)
    if manifest["database"]["engine"] != database.engine():
        raise CommandError(
            f"This backup is of a {manifest['database']['engine']} database; the site's "
            f"is {database.engine()}."
        )
    existing = database.tables()
    if existing:
        raise CommandError(
            f"The site's database is not empty (it has {len(existing)} tables). A backup "
            "is restored only into an empty database, so that nothing is mixed or lost: "
            "create a new database (or drop and create this one) and run restore again."
        )
    if media.names():
        raise CommandError(
            "The media store is not empty. A backup is restored only into an empty one: "
            "move its files away (or point the site at a new folder or bucket) and run "
            "restore again."
        )
    found = problems(path)
    if found:
        raise CommandError(f"Backup {path.name} is damaged: " + "; ".join(found) + ".")
    counts = database.restore(path / manifest["database"]["file"])
    if counts != manifest["database"]["tables"]:
        raise CommandError("The restored database's rows differ from the manifest's.")
    media.copy_in(path / "media", manifest["media"])
    return manifest


def _matches(file, entry):
    return (
        file.is_file()
        and file.stat().st_size == entry["size"]
        and (media.sha256(file) == entry["sha256"])
    )


def _files(top):
    if not top.is_dir():
        return []
    return [
        Path(root, name).relative_to(top).as_posix()
        for root, _folders, names in os.walk(top)
        for name in names
    ]


def _write(path, manifest):
    with path.open("w", encoding="utf-8") as file:
        json.dump(manifest, file, indent=1, sort_keys=True)
        file.flush()
        os.fsync(file.fileno())
