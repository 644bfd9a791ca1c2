"""The issue's pictures: responsive on the web page (AVIF and WebP sources, srcset,
sizes, width and height, as every other picture of the site), plain `<img>` with
absolute addresses in the email of the same blocks, which mail clients show."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from home.models import CustomImage, Partner
from newsletter.issue_email import render_issue, version_for
from newsletter.models import NewsletterIssuePage
from tests.helpers import in_language, soup

pytestmark = pytest.mark.django_db


def issue(code="en"):
    return in_language(NewsletterIssuePage.objects.get(locale__language_code="en"), code)


@pytest.mark.parametrize("code", ["en", "fr"])
def test_every_picture_of_the_issue_page_is_responsive(client, code):
    page = soup(client.get(issue(code).url))
    images = page.select("main .stream img")
    assert len(images) >= 3  # the demo issue's spotlights
    assert page.select("main .spotlight__image picture")
    for img in images:
        picture = img.parent
        assert picture.name == "picture", img
        types = {source["type"]: source for source in picture.select("source")}
        assert set(types) == {"image/avif", "image/webp"}, img
        for source in types.values():
            assert source["sizes"] and source["srcset"].count(" ") >= 1
        assert img["srcset"] and img["sizes"] and img["alt"] is not None
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert img["loading"] in ("lazy", "eager")
        # The widest rendition is no longer the only one: a phone picks a small one.
        assert "width-400" in img["srcset"] or "max-240x120" in img["srcset"], img["srcset"]


def test_the_email_of_the_same_blocks_keeps_plain_images_with_absolute_addresses():
    english = issue()
    email = render_issue(version_for(english, "en"), "en")
    html = BeautifulSoup(email.html, "html.parser")
    assert not html.select("picture, source, img[srcset]")
    images = html.select("img")
    assert len(images) >= 3
    for img in images:
        assert img["src"].startswith(("http://", "https://")), img["src"]
        assert not img["src"].endswith((".avif", ".webp"))  # what every mail client shows


def test_a_partner_logo_is_a_responsive_picture_on_the_page_and_an_image_in_the_email(client):
    buffer = io.BytesIO()
    PILImage.new("RGBA", (480, 240), (11, 61, 145, 0)).save(buffer, "PNG")
    logo = CustomImage(title="Logo", description="A logo", file=ImageFile(buffer, name="logo.png"))
    logo._set_image_file_metadata()
    logo.save()
    Partner.objects.update(logo=logo)

    english = issue()
    img = soup(client.get(english.url)).select_one("main .partner__logo")
    assert img.parent.name == "picture"
    types = [source["type"] for source in img.parent.select("source")]
    assert types == ["image/avif", "image/webp"]
    assert ".png" in img["src"] and "max-480x240" in img["srcset"]  # transparency kept
    assert int(img["width"]) == 240 and int(img["height"]) == 120

    email = BeautifulSoup(render_issue(version_for(english, "en"), "en").html, "html.parser")
    logos = [i for i in email.select("img") if "logo" in i["src"]]
    assert logos and all(i.parent.name != "picture" for i in logos)
