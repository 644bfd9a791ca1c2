"""What `backup`, `verify_backup` and `restore` do besides restoring (that is
test_restore.py): the newest BACKUP_KEEP backups kept as days pass, a backup cut
short never looking like one, a damaged backup refused, a destination the public or
git could reach refused, and a restore into a database that is not empty refused.
They run on the suite's database (SQLite, or PostgreSQL in CI's second pass) outside
a test transaction, as the commands run: a backup refuses to start inside one."""

import io
import json
import shutil
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from backups import archive, database, media
from backups import folder as backup_folder
from newsletter.models import Subscriber
from tests.databases import DATABASE_URL, ON_POSTGRES, create_database, drop_database, in_thread

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)
ADDRESS = "amina@example.org"
LATE = "late@example.org"


@pytest.fixture
def folder(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_KEEP = 3
    Subscriber.objects.create(email=ADDRESS, language="fr")
    storages["default"].save("original_images/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    return settings.BACKUP_DIR


def command(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def names(folder):
    return sorted(path.name for path in folder.iterdir() if path.name != ".lock")


def test_the_newest_backups_are_kept_as_days_pass(folder):
    folder.mkdir()
    (folder / "notes.txt").write_text("the operator's own file")
    made = []
    for day in range(5):
        path, manifest, deleted = archive.make(now=MONDAY + timedelta(days=day))
        made.append(path.name)
        assert deleted == made[:-3][-1:] if day >= 3 else deleted == []
    assert made[0] == "20261130T023000Z"
    assert names(folder) == [*made[2:], "notes.txt"]
    assert manifest["database"]["tables"]["newsletter_subscriber"] == 1
    assert [entry["name"] for entry in manifest["media"]] == ["original_images/photo.jpg"]
    # The command says what it wrote and deleted, and no one's address.
    with mock.patch("backups.archive.timezone.now", return_value=MONDAY + timedelta(days=9)):
        said = command("backup")
    assert "Backup 20261209T023000Z written" in said
    assert f"Deleted 1 older backups (keeping 3): {made[2]}" in said
    assert ADDRESS not in said
    assert names(folder) == [*made[3:], "20261209T023000Z", "notes.txt"]


def test_a_backup_cut_short_leaves_nothing_that_looks_complete(folder):
    with (
        mock.patch.object(media, "copy_out", side_effect=OSError("disk full")),
        pytest.raises(OSError, match="disk full"),
    ):
        command("backup")
    assert names(folder) == []
    with pytest.raises(CommandError, match="There is no backup"):
        command("verify_backup")
    # A process killed half-way leaves its temporary folder: the next backup removes it.
    leftover = folder / ".partial-20261130T023000Z-1a2b3c4d"
    leftover.mkdir()
    (leftover / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="There is no backup"):
        command("verify_backup")
    path, _manifest, _deleted = archive.make(now=MONDAY)
    assert names(folder) == [path.name]
    assert "is sound" in command("verify_backup")


def damage_dump(path):
    """Cuts the dump in half and writes its new size and checksum in the manifest:
    only opening the dump can tell."""
    manifest = json.loads((path / "manifest.json").read_text())
    dump = path / manifest["database"]["file"]
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    manifest["database"].update(size=dump.stat().st_size, sha256=media.sha256(dump))
    (path / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda path: _flip(next(path.glob("database.*"))), "the database's dump"),
        (lambda path: _flip(path / "media/original_images/photo.jpg"), "1 media files are"),
        (lambda path: (path / "media/extra.txt").write_text("?"), "1 media files are not in"),
        (lambda path: (path / "manifest.json").write_text("{"), "manifest of .* cannot be"),
        (damage_dump, "database file|pg_restore cannot read"),
    ],
    ids=["dump", "media file", "extra file", "manifest", "dump and its checksum"],
)
def test_a_damaged_backup_is_refused(folder, damage, reason):
    path, _manifest, _deleted = archive.make(now=MONDAY)
    assert "is sound" in command("verify_backup", path.name)
    damage(path)
    with pytest.raises(CommandError, match=reason):
        command("verify_backup", path.name)


def _flip(file):
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))


@pytest.mark.parametrize("inside", ["MEDIA_ROOT", "STATIC_ROOT", "BASE_DIR"])
def test_a_destination_the_public_or_git_could_reach_is_refused(folder, settings, inside):
    settings.BACKUP_DIR = Path(getattr(settings, inside)) / "backups-of-the-site"
    with pytest.raises(CommandError, match="inside"):
        command("backup")
    assert not settings.BACKUP_DIR.exists()


def test_a_restore_into_a_database_that_is_not_empty_is_refused(folder):
    path, _manifest, _deleted = archive.make(now=MONDAY)
    Subscriber.objects.create(email="jan@example.org", language="nl")
    with pytest.raises(CommandError, match="database is not empty .* into an empty database"):
        command("restore", path.name)
    assert set(Subscriber.objects.values_list("email", flat=True)) == {ADDRESS, "jan@example.org"}


def test_a_second_backup_meanwhile_stops_at_once(folder):
    folder.mkdir()
    with backup_folder.locked(folder), pytest.raises(CommandError, match="Another backup"):
        command("backup")
    assert names(folder) == []


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump's shared snapshot")
def test_rows_written_while_postgresql_is_dumped_are_neither_counted_nor_dumped(folder):
    """A subscriber arrives between the count and pg_dump's start: the dump holds the
    rows the manifest counts, because pg_dump reads the counting transaction's
    snapshot (without `--snapshot` it would hold one more)."""
    run = database._run

    def arrive_then_run(command):
        if command[0] == "pg_dump":
            late = in_thread(lambda: Subscriber.objects.create(email=LATE, language="en"))
            with ThreadPoolExecutor(1) as another_connection:
                another_connection.submit(late).result()
        return run(command)

    with mock.patch.object(database, "_run", arrive_then_run):
        path, manifest, _deleted = archive.make(now=MONDAY)
    assert Subscriber.objects.count() == 2
    assert manifest["database"]["tables"]["newsletter_subscriber"] == 1
    name = f"backups_{uuid.uuid4().hex[:12]}"
    url = create_database(DATABASE_URL, name)
    try:
        subprocess.run(  # noqa: S603
            [shutil.which("pg_restore"), "--no-owner", "--dbname", url, path / "database.pgdump"],
            check=True,
            capture_output=True,
        )
        with psycopg.connect(url) as scratch:
            rows = scratch.execute("SELECT email FROM newsletter_subscriber").fetchall()
    finally:
        drop_database(DATABASE_URL, name)
    assert rows == [(ADDRESS,)]
