"""The media through Django's `default` storage, so that the local MEDIA_ROOT and an
S3 bucket (django-storages, site/settings/production.py) are read and written alike."""

import hashlib
import os
import posixpath

from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import CommandError

CHUNK = 1024 * 1024


def names(storage=None, top=""):
    """Every file's name in the storage, sorted."""
    storage = storage or storages["default"]
    try:
        folders, files = storage.listdir(top)
    except FileNotFoundError:  # a local MEDIA_ROOT not created yet: no media
        return []
    found = [posixpath.join(top, name) for name in files]
    for folder in folders:
        found += names(storage, posixpath.join(top, folder))
    return sorted(found)


def copy_out(folder):
    """Copies every media file into `folder`; returns the manifest's list of
    {"name", "size", "sha256"}."""
    storage = storages["default"]
    listed = []
    for name in names(storage):
        target = folder / _safe(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as out:
            digest, size = hashlib.sha256(), 0
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        listed.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    return listed


def copy_in(folder, listed):
    """Puts the files of the manifest's list back into the (empty) storage."""
    storage = storages["default"]
    for entry in listed:
        with (folder / _safe(entry["name"])).open("rb") as source:
            saved = storage.save(entry["name"], File(source))
        if saved != entry["name"]:
            raise CommandError(
                f"The media store renamed a restored file (entry {listed.index(entry) + 1} "
                "of the manifest): it was not empty."
            )


def sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe(name):
    """A storage name as a relative path that stays inside the backup."""
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise CommandError("A media file's name would leave the backup's folder.")
    return os.path.join(*parts)
