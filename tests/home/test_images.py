"""Responsive images: AVIF and WebP renditions made here, sized, lazy below the top."""

from pathlib import Path

import pytest
from django.conf import settings
from PIL import features
from wagtail.images import get_image_model

from demo.builder import DemoBuilder
from home.models import StandardPage
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def assert_responsive(picture):
    """A <picture> offering AVIF and WebP before the JPEG fallback, every file ours."""
    assert [source["type"] for source in picture.select("source")] == [
        "image/avif",
        "image/webp",
    ]
    img = picture.img
    assert int(img["width"]) > 0 and int(img["height"]) > 0  # no layout shift
    assert img["alt"]
    candidates = [img["src"]] + [
        part.split()[0]
        for element in [img, *picture.select("source")]
        for part in element.get("srcset", "").split(",")
        if part.strip()
    ]
    assert len(candidates) >= 3
    for url in candidates:
        # Generated locally, served from our own media folder.
        assert url.startswith(settings.MEDIA_URL), url
        assert Path(settings.MEDIA_ROOT, url.removeprefix(settings.MEDIA_URL)).is_file()
    return img


def test_pillow_here_encodes_avif():
    # The picture tags list AVIF first: the renditions must be made, not skipped.
    assert features.check("avif")


def test_cards_offer_modern_formats_and_load_lazily(client):
    cards = soup(client.get("/en/")).select("main .card__image picture")
    assert cards
    for picture in cards:
        img = assert_responsive(picture)
        assert img["loading"] == "lazy"
        assert picture.select_one('source[type="image/avif"]')["srcset"].count("w,") == 1


def test_first_image_of_a_page_loads_at_once_the_others_lazily(client):
    images = get_image_model().objects.order_by("pk")
    first, second = images[0], images[1]
    page = StandardPage.objects.get(slug="about", locale__language_code="en")
    page.body = DemoBuilder().stream(
        "test/images",
        [
            ("image", {"image": first.pk, "alt_text": "", "caption": "First"}),
            ("paragraph", "<p>Between the images.</p>"),
            ("image", {"image": second.pk, "alt_text": "Our own words", "caption": ""}),
        ],
    )
    page.save_revision().publish()

    pictures = soup(client.get(page.url)).select("main .figure picture")
    assert len(pictures) == 2
    top, lower = (assert_responsive(picture) for picture in pictures)
    assert (top["loading"], top["fetchpriority"]) == ("eager", "high")
    assert lower["loading"] == "lazy" and lower.get("fetchpriority") != "high"
    # The block's alt text overrides the image's; left empty, the image's own is used.
    assert top["alt"] == first.description
    assert lower["alt"] == "Our own words"
