"""Every page type, in English, French and Dutch, on a phone (360 px) and a desktop
(1280 px): axe-core finds no WCAG 2.1 A/AA violation, no request leaves 127.0.0.1
while the page loads, and a full-page screenshot is saved to docs/screenshots/
(`<page type>-<language>-<width>.png`) for people to look at.
"""

import io
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.browser.helpers import (
    PolicyViolations,
    RequestRecorder,
    assert_accessible,
    describe_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LANGUAGES = ["en", "fr", "nl"]
# The screenshots are committed, so that people can look at the site without running
# it: reduced to a palette of 128 colours, they take about a third of the space.
SCREENSHOT_COLOURS = 128
WIDTHS = [360, 1280]
TALLER_THAN_ANY_PAGE = 20_000  # px

# Page type -> path after /en/ in the demo site (French and Dutch pages have slugs of
# their own: DemoSite.address), and the status it answers.
PAGE_TYPES = {
    "home": ("", 200),
    "country-index": ("countries/", 200),
    "country": ("countries/rwanda/", 200),
    "project-index": ("projects/", 200),
    "project": ("projects/rwanda-health-and-education/", 200),
    "story-index": ("stories/", 200),
    "story-interview": ("stories/women-diaspora-4dev-academy-interviews/", 200),
    "story-video": ("stories/women-diaspora-4dev-academy-video/", 200),
    "story-article": ("stories/mission-to-niger-and-tahoua-job-fair/", 200),
    "event-index": ("events/", 200),
    "event": ("events/rwanda-diaspora-info-session/", 200),
    "call": ("events/invest-in-a-rwanda-pilot-project/", 200),
    "newsletter-index": ("newsletter/", 200),
    "newsletter-issue": ("newsletter/issue-1/", 200),
    "newsletter-subscribe": ("newsletter/subscribe/", 200),
    "form": ("survey/", 200),
    "standard": ("about/", 200),
    "search": ("search/?q=diaspora", 200),
    "not-found": ("no-such-page/", 404),
}


def save_screenshot(page, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Images below the fold load lazily: loaded now, they are in the picture, not blanks.
    page.evaluate(
        "Promise.all([...document.images].map(img => {"
        " img.loading = 'eager'; return img.decode().catch(() => null); }))"
    )
    image = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    image.quantize(colors=SCREENSHOT_COLOURS, method=Image.Quantize.MEDIANCUT).save(
        path, "PNG", optimize=True
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type(context, site, page_type, language, width):
    path, status = PAGE_TYPES[page_type]
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    requests = RequestRecorder(page)
    refused = PolicyViolations(page)

    response = page.goto(site.address(path, language))

    assert response.request.redirected_from is None, "the page has an address of its own"
    assert response.status == status
    assert page.locator("html").get_attribute("lang") == language
    save_screenshot(page, SCREENSHOTS / f"{page_type}-{language}-{width}.png")
    assert_accessible(page)
    # WCAG 1.4.10 (reflow), which axe-core does not check: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert requests.leaving() == [], "requests left 127.0.0.1 while the page loaded"
    assert refused.messages == [], "the Content-Security-Policy refused part of the page"


# The phone's header: brand and one row of tools (menu, search, language).
PHONE_HEADER_MAX = 120  # px


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_header_is_short_and_its_tools_open_with_the_keyboard(context, site, language):
    """At 360 px the header takes at most 120 px; search and languages are one tap
    (or one key) away, and their panels open over the page without growing it."""
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site.address("", language))
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= PHONE_HEADER_MAX

    search = page.locator(".site-tool--search > summary")
    search.focus()
    page.keyboard.press("Enter")
    field = page.locator("#site-search-query")
    assert field.is_visible()
    assert page.evaluate("document.activeElement.id") == "site-search-query"
    assert header.bounding_box()["height"] <= PHONE_HEADER_MAX
    page.keyboard.press("Escape")
    assert not field.is_visible()

    languages = page.locator(".site-tool--languages > summary")
    languages.click()  # opening it closes any other tool (<details name>)
    other = "nl" if language != "nl" else "en"
    link = page.locator(f'.language-switcher a[hreflang="{other}"]')
    assert link.is_visible()
    link.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other


def test_no_page_of_the_demo_sends_a_request_beyond_127_0_0_1(context, site):
    """Every page in the sitemap (every live page, in each language). The window is
    taller than any page, so that lazy images load with the page too."""
    with urllib.request.urlopen(f"{site.url}/sitemap.xml") as response:  # noqa: S310
        paths = [
            urlsplit(loc).path
            for loc in re.findall(r"<loc>([^<]+)</loc>", response.read().decode())
        ]
    assert len(paths) > 100
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": TALLER_THAN_ANY_PAGE})
    requests = RequestRecorder(page)
    refused = PolicyViolations(page)
    for path in [*paths, "/en/no-such-page/"]:
        page.goto(path)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= TALLER_THAN_ANY_PAGE, f"{path} is taller than the window"
    assert any("/media/images/" in url for url in requests.urls)  # images did load
    assert requests.leaving() == []
    assert refused.messages == []


def test_violations_are_described_for_a_person():
    """A failure names the rule, its help and every node it found."""
    text = describe_violations(
        [
            {
                "id": "color-contrast",
                "impact": "serious",
                "help": "Elements must meet minimum color contrast ratio thresholds",
                "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
                "nodes": [{"target": [".lead"], "failureSummary": "Fix any of the following"}],
            }
        ]
    )
    assert "color-contrast (serious): Elements must meet minimum color contrast" in text
    assert "- .lead" in text
