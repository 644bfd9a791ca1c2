"""The site's identity in the browser: `/favicon.ico` and the manifest answer, every
page links its icons, manifest, theme colour and print stylesheet, and the header
shows the wordmark (home/identity.py, templates/base.html)."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from newsletter.models import NewsletterIssuePage
from tests.helpers import in_language, soup

pytestmark = pytest.mark.django_db


def static_file(url):
    """The file a static URL serves (whitenoise in production; the test client
    serves none), asserting it is one."""
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    return path


def test_favicon_ico_answers_at_the_root_as_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age" in response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert body == icon.read()
    with Image.open(finders.find("img/favicon.ico")) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("en", "Diaspora Engagement"),
        ("fr", "Engagement de la diaspora"),
        ("nl", "Diaspora-engagement"),
    ],
)
def test_the_manifest_names_the_site_in_the_page_s_language(client, code, name):
    page = soup(client.get(f"/{code}/"))
    href = page.select_one('link[rel="manifest"]')["href"]
    assert href == f"/{code}/manifest.webmanifest"
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["lang"], manifest["start_url"]) == (name, code, f"/{code}/")
    assert len(manifest["short_name"]) <= 12
    assert manifest["theme_color"] == page.select_one('meta[name="theme-color"]')["content"]
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        if icon["type"] == "image/svg+xml":
            assert static_file(icon["src"]).endswith(".svg")
            continue
        with Image.open(static_file(icon["src"])) as image:
            assert icon["sizes"] == "x".join(map(str, image.size)), icon
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_a_wrong_method_on_the_manifest_is_refused_not_an_error(client):
    assert client.post("/en/manifest.webmanifest").status_code == 405
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_every_page_links_its_icons_and_its_print_stylesheet(client, code):
    issue = in_language(NewsletterIssuePage.objects.get(locale__language_code="en"), code)
    for url in (f"/{code}/", issue.url, f"/{code}/search/?q=diaspora"):
        head = soup(client.get(url)).head
        icons = {link["href"]: link.get("type") for link in head.select('link[rel="icon"]')}
        assert any(
            href.endswith(".svg") and kind == "image/svg+xml" for href, kind in icons.items()
        )
        assert any(href.endswith(".ico") for href in icons), url
        touch = head.select_one('link[rel="apple-touch-icon"]')["href"]
        with Image.open(static_file(touch)) as image:
            assert image.size == (180, 180) and image.mode == "RGB"  # iOS wants no alpha
        assert head.select_one('meta[name="theme-color"]')["content"] == "#0b3d91"
        (print_css,) = head.select('link[rel="stylesheet"][media="print"]')
        assert print_css["href"].endswith("print.css")
        for href in [*icons, touch, print_css["href"]]:
            static_file(href)


def test_the_print_stylesheet_leaves_out_the_chrome_and_shows_outside_addresses():
    with open(finders.find("css/print.css")) as sheet:
        css = sheet.read()
    hidden = css.split("display: none")[0]
    for chrome in (
        ".site-nav",
        ".site-search",
        ".language-switcher",
        ".site-footer",
        ".discussion",
        "form",
        ".breadcrumbs",
    ):
        assert chrome in hidden, chrome
    assert 'a[href^="http"]' in css and "attr(href)" in css
    assert "break-inside: avoid" in css and "break-after: avoid" in css


def test_the_header_shows_the_wordmark_beside_the_translated_name(client):
    brand = soup(client.get("/fr/")).select_one("header .brand")
    mark = brand.select_one("svg.brand__mark")
    assert mark["aria-hidden"] == "true" and mark.select("rect, circle")
    assert brand.get_text(" ", strip=True).startswith("Engagement de la diaspora")
