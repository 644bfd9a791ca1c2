"""A backup restores the whole site (issue 19): the demo site, with someone
registered for an event, someone subscribed and an image uploaded, is backed up
(`manage.py backup`); its database and media folder are then dropped, and
`manage.py restore` puts the backup back into an empty database and an empty media
folder. Every table holds the same rows (count and a hash of their content), every
media file is the same (SHA-256), and every live page, in every language, renders
the same HTML. On SQLite in the suite's SQLite pass, on a private database of the
PostgreSQL server in its PostgreSQL pass (created and dropped here)."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.databases import DATABASE_URL, ON_POSTGRES, create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(__file__).with_name("site_state.py")

pytestmark = [pytest.mark.subprocess]


class Site:
    """Runs the site's commands in subprocesses on one database and media folder."""

    def __init__(self, tmp_path, database_url):
        self.media = tmp_path / "media"
        self.backups = tmp_path / "backups"
        environ = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTHONPATH")}
        self.env = {
            **environ,
            "DJANGO_SETTINGS_MODULE": "tests.backups.settings",
            "DATABASE_URL": database_url,
            "BACKUP_MEDIA_ROOT": str(self.media),
            "BACKUP_DIR": str(self.backups),
            "PYTHONPATH": str(ROOT),
        }

    def run(self, *args, check=True):
        done = subprocess.run(  # noqa: S603 (our interpreter, our scripts)
            [sys.executable, *map(str, args)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def snapshot(self, out):
        self.run(STATE, "snapshot", out)
        return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def database(tmp_path):
    """(URL, a function that drops it and creates it empty again)."""
    if not ON_POSTGRES:
        path = tmp_path / "site.sqlite3"

        def drop():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        yield f"sqlite:///{path}", drop
        return
    name = f"backups_{uuid.uuid4().hex[:12]}"
    url = create_database(DATABASE_URL, name)

    def drop_and_create():
        drop_database(DATABASE_URL, name)
        create_database(DATABASE_URL, name)

    try:
        yield url, drop_and_create
    finally:
        drop_database(DATABASE_URL, name)


def test_a_backup_restores_every_row_file_and_page(tmp_path, database):
    url, drop = database
    site = Site(tmp_path, url)
    site.run(STATE, "build")
    before = site.snapshot(tmp_path / "before.json")
    assert any(name.startswith("original_images/uploaded") for name in before["media"])
    assert before["tables"]["events_registration"]["rows"] == 1
    assert before["tables"]["newsletter_subscriber"]["rows"] == 1
    languages = {url.split("/")[1] for url in before["pages"]}
    assert languages == {"en", "fr", "nl"}, languages

    written = site.run("manage.py", "backup").stdout
    assert "Backup " in written and "written" in written
    (name,) = [path.name for path in site.backups.iterdir() if not path.name.startswith(".")]
    assert "sound" in site.run("manage.py", "verify_backup", name).stdout

    drop()
    shutil.rmtree(site.media)
    site.media.mkdir()
    restored = site.run("manage.py", "restore", name).stdout
    assert f"Restored backup {name}" in restored
    # The migrations' state came back with the rows: nothing is left to apply.
    assert "[ ]" not in site.run("manage.py", "showmigrations").stdout

    after = site.snapshot(tmp_path / "after.json")
    assert after["tables"] == before["tables"]
    assert after["media"] == before["media"]
    assert after["pages"].keys() == before["pages"].keys()
    different = [url for url in before["pages"] if after["pages"][url] != before["pages"][url]]
    assert not different, different
    assert all(page["status"] == 200 for page in after["pages"].values())
