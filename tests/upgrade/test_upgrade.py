"""Upgrading a site built by the previous release keeps every row, every group's
permissions and every page as it was.

The previous release (BASE_COMMIT, read from this repository's history) builds the
demo site in a database of its own, SQLite in the suite's SQLite pass and PostgreSQL in
its PostgreSQL pass; then this release migrates that same database. Both sides are
snapshotted by tests/upgrade/snapshot.py: row counts of every table, every group's
permissions (by permission row), and the HTML of every live page in every language.
Nothing may differ, but for the migrations table and the white space of the HTML.
"""

import difflib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from django.test.html import parse_html

from tests.databases import DATABASE_URL, ON_POSTGRES, create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("snapshot.py")
# The last commit before the apps were reorganised (one concern per app).
BASE_COMMIT = "365fc619048af41bb27cbe3d289789b7cc5f5acb"
TIMEOUT = 900  # seconds per command; migrate and load_demo take about a minute

pytestmark = [pytest.mark.subprocess]

SETTINGS = """\
import os

from diaspora_site.settings.test import *  # noqa: F403

# One media folder for both releases, and no shared cache: the pages compared must be
# rendered by each release, never served from what the other one stored.
MEDIA_ROOT = os.environ["UPGRADE_MEDIA_ROOT"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0
"""


def _git(*args, **kwargs):
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), *args],  # noqa: S607
        capture_output=True,
        check=False,
        **kwargs,
    )


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory):
    """The previous release's files, with their message catalogues compiled, and a
    folder whose `diaspora_site` is that release's `site/` (put first on PYTHONPATH,
    it wins over this release's installed one)."""
    present = (
        shutil.which("git") and not _git("cat-file", "-e", f"{BASE_COMMIT}^{{commit}}").returncode
    )
    if not present:
        pytest.skip(f"the previous release ({BASE_COMMIT[:10]}) is not in this clone's history")
    root = tmp_path_factory.mktemp("previous-release")
    archive = _git("archive", "--format=tar", BASE_COMMIT)
    assert archive.returncode == 0, archive.stderr.decode()
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(root, filter="data")
    subprocess.run(  # noqa: S603
        [sys.executable, "scripts/compile_messages.py"], cwd=root, check=True, capture_output=True
    )
    packages = root / "_packages"
    packages.mkdir()
    (packages / "diaspora_site").symlink_to(root / "site")
    return root


@pytest.fixture
def database(tmp_path):
    """A database for the upgraded site: a file on SQLite, a fresh database on the
    PostgreSQL server of DATABASE_URL."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    url = create_database(DATABASE_URL, name)
    try:
        yield url
    finally:
        drop_database(DATABASE_URL, name)


class Release:
    """One release's code, run in subprocesses against the shared database."""

    def __init__(self, code, tmp_path, database_url, extra_path=()):
        self.code = code
        settings_dir = tmp_path / "settings"
        settings_dir.mkdir(exist_ok=True)
        (settings_dir / "upgrade_settings.py").write_text(SETTINGS)
        (tmp_path / "media").mkdir(exist_ok=True)
        environ = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTHONPATH")}
        self.env = {
            **environ,
            "DJANGO_SETTINGS_MODULE": "upgrade_settings",
            "DATABASE_URL": database_url,
            "UPGRADE_MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONPATH": os.pathsep.join([*map(str, extra_path), str(settings_dir), str(code)]),
            "TMPDIR": str(tmp_path),
        }

    def run(self, *args):
        done = subprocess.run(  # noqa: S603 (our interpreter, our scripts)
            [sys.executable, *map(str, args)],
            cwd=self.code,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, f"{args} failed in {self.code}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def snapshot(self, out):
        self.run(SNAPSHOT, out)
        return json.loads(out.read_text())


def _same_page(before, after):
    """The same status and the same HTML, as Django's assertHTMLEqual compares it:
    elements, attributes and text, not the white space of the templates."""
    if after is None or before["status"] != after["status"]:
        return False
    return before["html"] == after["html"] or parse_html(before["html"]) == parse_html(
        after["html"]
    )


def _first_difference(before, after):
    for url in before:
        if not _same_page(before[url], after.get(url)):
            diff = difflib.unified_diff(
                before[url]["html"].splitlines(),
                after.get(url, {"html": ""})["html"].splitlines(),
                "previous release",
                "this release",
                lineterm="",
                n=2,
            )
            return url, "\n".join(list(diff)[:80])
    return None, ""


def test_upgrading_keeps_every_row_permission_and_page(previous_release, database, tmp_path):
    old = Release(previous_release, tmp_path, database, [previous_release / "_packages"])
    old.run("manage.py", "migrate", "--no-input")
    old.run("manage.py", "load_demo", "--verbosity", "0")
    before = old.snapshot(tmp_path / "before.json")

    new = Release(ROOT, tmp_path, database)
    new.run("manage.py", "migrate", "--no-input")
    after = new.snapshot(tmp_path / "after.json")

    # The previous release rendered its pages before this one migrated: the image
    # renditions it made are in the database this release starts from.
    for tables in (before["tables_rendered"], after["tables"]):
        tables.pop("django_migrations")
    assert after["tables"] == before["tables_rendered"]
    assert after["groups"] == before["groups"]
    # Every page of the demo, in each of the three languages.
    languages = [url.split("/")[1] for url in before["pages"]]
    assert len(languages) > 100
    assert {code: languages.count(code) for code in ("en", "fr", "nl")} == dict.fromkeys(
        ("en", "fr", "nl"), len(languages) // 3
    )
    assert [(url, page["status"]) for url, page in after["pages"].items()] == [
        (url, page["status"]) for url, page in before["pages"].items()
    ]
    url, diff = _first_difference(before["pages"], after["pages"])
    assert url is None, f"{url} changed:\n{diff}"

    # This release's demo builder recognises everything the previous one made.
    assert "nothing to create" in new.run("manage.py", "load_demo")
