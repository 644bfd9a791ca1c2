"""Where backups live: BACKUP_DIR, one folder per backup named by its UTC time
(`20261204T174603Z`), written under a temporary name (`.partial-…`) and renamed when
complete, so that a backup cut short never looks like one. Only one backup runs at a
time (a lock file), so a `.partial-…` folder found by the next one is a leftover and
is removed. Only the newest BACKUP_KEEP complete backups are kept."""

import fcntl
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

MANIFEST = "manifest.json"
NAME = re.compile(r"^\d{8}T\d{6}Z$")
PARTIAL_PREFIX = ".partial-"


def backup_dir():
    """BACKUP_DIR, refused when the public could read it or git could commit it:
    inside MEDIA_ROOT, STATIC_ROOT or the project's folder (but for its ignored
    `var/`)."""
    folder = Path(settings.BACKUP_DIR).expanduser().resolve()
    public = {"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT}
    for setting, root in public.items():
        if root and folder.is_relative_to(Path(root).expanduser().resolve()):
            raise CommandError(
                f"BACKUP_DIR ({folder}) is inside {setting}: backups hold personal data "
                f"and must never be served. Choose a folder outside {root}."
            )
    project = Path(settings.BASE_DIR).resolve()
    if folder.is_relative_to(project) and not folder.is_relative_to(project / "var"):
        raise CommandError(
            f"BACKUP_DIR ({folder}) is inside the project's folder, where git could "
            f"commit it. Choose a folder outside {project} (or under its ignored var/)."
        )
    return folder


def complete_backups(folder):
    """The complete backups in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if NAME.match(path.name) and path.is_dir() and (path / MANIFEST).is_file()
    )


def find(name=None):
    """The backup `name` (a name in BACKUP_DIR or a path to a backup's folder), or the
    newest one."""
    if name and ("/" in name or Path(name).is_dir()):
        path = Path(name).expanduser().resolve()
    else:
        backups = complete_backups(backup_dir())
        if not name:
            if not backups:
                raise CommandError(f"There is no backup in {backup_dir()}.")
            return backups[-1]
        path = backup_dir() / name
    if not (path / MANIFEST).is_file():
        raise CommandError(f"{path} is not a complete backup (it has no {MANIFEST}).")
    return path


@contextmanager
def locked(folder):
    """Holds BACKUP_DIR's lock: a second backup started meanwhile stops at once."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (folder / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(f"Another backup is running in {folder}.") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def remove_leftovers(folder):
    """Removes the `.partial-…` folders of backups cut short; returns how many.
    Call it holding the lock."""
    leftovers = [path for path in folder.iterdir() if path.name.startswith(PARTIAL_PREFIX)]
    for path in leftovers:
        shutil.rmtree(path)
    return len(leftovers)


@contextmanager
def new_backup(folder, name):
    """A temporary folder to write the backup `name` in, renamed to `name` when the
    block ends without an error and removed when it raises."""
    final = folder / name
    if final.exists():
        raise CommandError(f"A backup named {name} already exists in {folder}.")
    partial = folder / f"{PARTIAL_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
    partial.mkdir(mode=0o700)
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(final)


def prune(folder, keep):
    """Deletes all but the newest `keep` complete backups; returns their names."""
    backups = complete_backups(folder)
    old = backups[: max(len(backups) - max(keep, 1), 0)]  # never the one just made
    for path in old:
        shutil.rmtree(path)
    return [path.name for path in old]
