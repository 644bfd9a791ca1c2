"""The demo's illustrations (demo/images.py): drawn locally, the same on every run, and
redrawn by `load_demo` on a site loaded with an earlier version of the drawings, while
an image whose file an editor replaced is left alone."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from demo.images import ILLUSTRATION_VERSION, MOTIFS, illustration

pytestmark = pytest.mark.django_db
TITLE = "IOM Belgium and Niger"  # a demo image (demo/content.py)


def _png(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), "#0b3d91").save(buffer, "PNG")
    return ImageFile(buffer, name=name)


def _replace_file(image, name):
    image.file = _png(name)
    image._set_image_file_metadata()
    image.save()
    image.get_rendition("width-400")
    return image


def test_an_illustration_is_a_detailed_drawing_the_same_on_every_run():
    first = illustration("bridge", 2)
    assert first == illustration("bridge", 2)
    with PILImage.open(io.BytesIO(first)) as drawn:
        assert (drawn.format, drawn.size) == ("JPEG", (1600, 900))
        # Not a flat poster: a sky that shades, a halftone, a shadow plate.
        assert len(drawn.convert("RGB").getcolors(maxcolors=1 << 20)) > 1000
    assert len(first) < 200_000
    assert len(MOTIFS) == 13


def test_load_demo_redraws_an_illustration_of_an_earlier_version(settings):
    Image = get_image_model()
    image = _replace_file(Image.objects.get(title=TITLE), "demo-iom-belgium-and-niger.png")
    old_file = image.file.name
    count = Image.objects.count()

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    image.refresh_from_db()
    name = PurePosixPath(image.file.name)
    assert name.suffix == ".jpg"
    assert name.stem.split("_")[0] == f"demo-iom-belgium-and-niger-v{ILLUSTRATION_VERSION}"
    assert (image.width, image.height) == (1600, 900)
    assert not image.renditions.exists()  # made from the old drawing
    assert not image.file.storage.exists(old_file)
    assert Image.objects.count() == count and "(nothing to create)" in out.getvalue()
    # Run again: this version's drawing stays.
    call_command("load_demo", verbosity=0)
    assert Image.objects.get(pk=image.pk).file.name == image.file.name


def test_load_demo_leaves_an_image_an_editor_replaced():
    Image = get_image_model()
    image = _replace_file(Image.objects.get(title=TITLE), "niger-photo.png")
    call_command("load_demo", verbosity=0)
    image.refresh_from_db()
    assert "niger-photo" in image.file.name and (image.width, image.height) == (800, 450)
    assert image.renditions.exists()
