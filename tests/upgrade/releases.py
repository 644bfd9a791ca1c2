"""Running an earlier release of the site beside this one: its files from this
repository's history, and either release driven through `manage.py` and scripts in
processes of their own, on a database and media folder they share. Used by the
upgrade test and by bench/baseline.py."""

import os
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The previous release (what landed before this one).
BASE_COMMIT = "74546471b5223e359a2cf116965114edbbc7520f"
TIMEOUT = 900  # seconds per command; migrate and load_demo take about a minute

SETTINGS = """\
import os

from diaspora_site.settings.test import *  # noqa: F403

# One media folder for both releases, and no shared cache: the pages compared must be
# rendered by each release, never served from what the other one stored.
MEDIA_ROOT = os.environ["UPGRADE_MEDIA_ROOT"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0
"""


def _git(*args):
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), *args],  # noqa: S607
        capture_output=True,
        check=False,
    )


def is_available(commit=BASE_COMMIT):
    return (
        bool(shutil.which("git")) and not _git("cat-file", "-e", f"{commit}^{{commit}}").returncode
    )


def extract(commit, folder):
    """The files of `commit` in `folder`, with their message catalogues compiled, and
    `folder/_packages`, whose `diaspora_site` is that release's `site/` (put first on
    PYTHONPATH, it wins over this release's installed one). Returns `folder`."""
    archive = _git("archive", "--format=tar", commit)
    if archive.returncode:
        raise RuntimeError(archive.stderr.decode())
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    subprocess.run(  # noqa: S603
        [sys.executable, "scripts/compile_messages.py"], cwd=folder, check=True, capture_output=True
    )
    packages = folder / "_packages"
    packages.mkdir()
    (packages / "diaspora_site").symlink_to(folder / "site")
    return folder


class Release:
    """One release's code (this one's: ROOT, or an extracted one), run in
    subprocesses against a database and media folder in `tmp_path`, with `settings`
    (a module's text) and `python` (by default, this interpreter)."""

    def __init__(
        self, code, tmp_path, database_url, *, extracted=False, settings=SETTINGS, python=None
    ):
        self.code = code
        self.python = str(python or sys.executable)
        settings_dir = tmp_path / "settings"
        settings_dir.mkdir(exist_ok=True)
        (settings_dir / "upgrade_settings.py").write_text(settings)
        (tmp_path / "media").mkdir(exist_ok=True)
        paths = [code / "_packages"] if extracted else []
        environ = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTHONPATH")}
        self.env = {
            **environ,
            "DJANGO_SETTINGS_MODULE": "upgrade_settings",
            "DATABASE_URL": database_url,
            "UPGRADE_MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONPATH": os.pathsep.join(map(str, [*paths, settings_dir, code])),
            "TMPDIR": str(tmp_path),
        }

    def run(self, *args):
        """Run our interpreter on `args` in the release's folder; returns stdout."""
        done = subprocess.run(  # noqa: S603 (our interpreter, our scripts)
            [self.python, *map(str, args)],
            cwd=self.code,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if done.returncode:
            raise AssertionError(f"{args} failed in {self.code}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, *args, env=None):
        """Start our interpreter on `args`, talking through its standard streams, with
        `env` added to the release's environment."""
        return subprocess.Popen(  # noqa: S603
            [self.python, *map(str, args)],
            cwd=self.code,
            env={**self.env, **(env or {})},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
