"""Share links under issues, stories and calls: an email, WhatsApp and the address
to copy, each carrying the page's own address, encoded; on no other page type."""

from urllib.parse import quote

import pytest

from events.models import CallPage
from newsletter.models import NewsletterIssuePage
from stories.models import StoryPage
from tests.helpers import demo_url, soup


@pytest.mark.django_db
@pytest.mark.parametrize("model", [NewsletterIssuePage, StoryPage, CallPage])
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_shared_page_types_offer_email_whatsapp_and_the_address(client, model, language):
    page = model.objects.live().filter(locale__language_code=language).first()
    html = soup(client.get(page.url))
    share = html.select_one("section.share")
    url = f"http://127.0.0.1:8000{page.url}"
    assert html.select_one("link[rel=canonical]")["href"] == url
    links = [a["href"] for a in share.select("a")]
    encoded = quote(url, safe="")
    assert (
        links[0]
        == f"mailto:?subject={quote(page.title, safe='')}&body="
        + quote(page.title + "\n", safe="")
        + encoded
    )
    assert links[1] == "https://wa.me/?text=" + quote(page.title + " ", safe="") + encoded
    # Without JavaScript the address is there to copy; the button waits for share.js.
    field = share.select_one("input#share-url")
    assert field["value"] == url and field.has_attr("readonly")
    assert share.select_one("label[for=share-url]").get_text(strip=True)
    button = share.select_one("button[data-share-copy=share-url]")
    assert button.has_attr("hidden") and button["data-share-done"]
    assert share.select_one("[role=status][aria-live=polite]") is not None
    assert html.select_one("script[src$='js/share.js']") is not None
    # Nothing of another site is loaded: only the page's own scripts.
    assert all(script["src"].startswith("/") for script in html.select("script[src]"))


@pytest.mark.django_db
@pytest.mark.parametrize("english", ["", "events", "about", "countries", "stories", "newsletter"])
def test_other_pages_have_no_share_links(client, english):
    html = soup(client.get(demo_url(english, "fr")))
    assert html.select_one("section.share") is None
    assert html.select_one("script[src$='js/share.js']") is None


@pytest.mark.django_db
def test_share_links_read_in_french(client):
    page = StoryPage.objects.live().filter(locale__language_code="fr").first()
    share = soup(client.get(page.url)).select_one("section.share")
    assert share.h2.get_text(strip=True) == "Partager cette page"
    assert [a.get_text(strip=True) for a in share.select("a")] == ["Par e-mail", "Sur WhatsApp"]
    assert share.select_one("button")["data-share-done"] == "Lien copié"
