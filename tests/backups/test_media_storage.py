"""The media are read and written through Django's `default` storage, never as the
local folder: a store that is no folder (Django's in-memory storage here, an S3
bucket in production) is backed up and restored alike."""

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from backups import media

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


def test_media_of_a_store_that_is_no_folder_are_backed_up_and_restored(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    storage = storages["default"]
    storage.save("original_images/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    storage.save("documents/report.pdf", ContentFile(b"%PDF a report"))

    listed = media.copy_out(tmp_path / "media")
    assert [entry["name"] for entry in listed] == [
        "documents/report.pdf",
        "original_images/photo.jpg",
    ]
    assert (tmp_path / "media/original_images/photo.jpg").read_bytes() == b"\xff\xd8 a photo"

    settings.STORAGES = {**settings.STORAGES, "default": {**IN_MEMORY, "OPTIONS": {}}}
    assert storages["default"] is not storage
    assert media.names() == []
    media.copy_in(tmp_path / "media", listed)
    restored = storages["default"]
    assert restored.open("documents/report.pdf").read() == b"%PDF a report"
    assert media.names() == ["documents/report.pdf", "original_images/photo.jpg"]
