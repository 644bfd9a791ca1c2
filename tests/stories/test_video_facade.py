"""The video facade: our poster and a link until the visitor clicks, then the player.

The click itself is exercised in a real browser (tests/browser/); here the markup the
script relies on, and the absence of anything loaded from the host before it.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from wagtail.images import get_image_model

from stories.blocks import VideoBlock
from stories.video import Video
from tests.helpers import demo_page, soup

pytestmark = pytest.mark.django_db

SLUG = "women-diaspora-4dev-academy-video"
# Elements whose addresses the browser fetches on its own while the page loads.
LOADING = {"img", "source", "iframe", "script", "link", "video", "audio", "embed", "object"}


def story(language):
    return demo_page(f"stories/{SLUG}", language)


def fetched_addresses(page):
    for element in page.find_all(LOADING):
        if element.name == "link" and {"canonical", "alternate"} & set(element["rel"]):
            continue  # names an address, fetches nothing
        for attribute in ("src", "href", "srcset", "data", "poster"):
            for candidate in (element.get(attribute) or "").split(","):
                if candidate.strip():
                    yield candidate.split()[0]


def assert_nothing_leaves_the_site(page):
    for address in fetched_addresses(page):
        parts = urlsplit(address)
        assert not parts.netloc or parts.netloc == "testserver", address


def query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_facade_links_to_the_host_and_loads_nothing_from_it(client, language):
    response = client.get(story(language).url)
    page = soup(response)

    link = page.select_one("main .video a.video__link")
    assert link["href"] == "https://www.youtube.com/watch?v=DEMO0video0"
    if language == "en":
        assert "Watch on YouTube" in link.get_text()
    # The poster is our own rendition, in modern formats, never the host's thumbnail.
    picture = link.select_one(".video__frame picture")
    types = [source["type"] for source in picture.select("source")]
    assert types == ["image/avif", "image/webp"]
    poster = picture.select_one("img.video__poster")
    assert poster["src"].startswith(settings.MEDIA_URL)
    assert poster["alt"] and poster["width"] and poster["height"]
    assert_nothing_leaves_the_site(page)
    assert not page.select("iframe")
    # No inline script or style: the script is a deferred file of our own.
    # (JSON-LD data blocks are not run, and a CSP does not govern them.)
    scripts = [s for s in page.select("script") if s.get("type") != "application/ld+json"]
    assert scripts and all(script.get("src") for script in scripts)
    assert any(s["src"].endswith("js/video.js") and s.has_attr("defer") for s in scripts)
    assert not page.select("main [style]")
    assert page.select_one("main .video details.video__transcript").get_text(strip=True)


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_player_address_waits_for_the_click_with_captions_in_the_page_language(client, language):
    link = soup(client.get(story(language).url)).select_one("main a.video__link")
    embed = link["data-video-embed"]
    assert embed.startswith("https://www.youtube-nocookie.com/embed/DEMO0video0?")
    assert query(embed) == {
        "autoplay": "1",
        "cc_load_policy": "1",
        "cc_lang_pref": language,
        "hl": language,
    }
    assert "Women Diaspora 4Dev Academy" in link["data-video-title"]


def test_vimeo_player_does_not_track_and_shows_captions():
    url = Video("vimeo", "76979871").player_url("nl")
    assert url.startswith("https://player.vimeo.com/video/76979871?")
    assert query(url) == {"dnt": "1", "autoplay": "1", "texttrack": "nl"}
    assert query(Video("youtube", "dQw4w9WgXcQ").player_url("fr-be"))["hl"] == "fr"
    # Whatever the language setting holds, nothing foreign reaches the address.
    assert "texttrack" not in Video("vimeo", "76979871").player_url('"><script>')


def test_vimeo_block_renders_a_facade_in_the_active_language():
    poster = get_image_model().objects.first()
    block = VideoBlock()
    value = block.to_python(
        {
            "url": "https://vimeo.com/76979871",
            "title": "A <b>title</b>",
            "poster": poster.pk,
            "duration": "3:25",
            "transcript": "<p>What is said.</p>",
        }
    )
    with translation.override("nl"):
        page = BeautifulSoup(block.render(value), "html.parser")
    link = page.select_one("a.video__link")
    assert link["href"] == "https://vimeo.com/76979871"
    assert query(link["data-video-embed"])["texttrack"] == "nl"
    assert link["data-video-title"] == "Videospeler: A <b>title</b>"  # as text:
    assert "A &lt;b&gt;title" in str(link)  # escaped in the markup
    # Outside a page's first block the poster waits until it is scrolled near.
    assert page.select_one("img.video__poster")["loading"] == "lazy"
    assert_nothing_leaves_the_site(page)


def test_script_is_tiny_and_plain():
    script = Path(settings.BASE_DIR, "static", "js", "video.js").read_text()
    assert len(script.encode()) < 2048
    for needed in ("data-video-embed", "iframe", ".focus()", "preventDefault"):
        assert needed in script
