"""A card whose page has no listing image shows a typographic panel in its section's
tone where the picture would be (components/_card.html), not an empty frame."""

import pytest

from stories.models import StoryIndexPage, StoryPage
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def test_a_card_without_a_picture_shows_a_panel_in_its_section_s_tone(client):
    story = StoryPage.objects.filter(
        locale__language_code="en", listing_image__isnull=False
    ).first()
    with_picture = story.title
    story.listing_image = None
    story.save_revision().publish()

    index = soup(client.get(StoryIndexPage.objects.get(locale__language_code="en").url))
    card = index.find("a", string=with_picture).find_parent("article")
    assert "card--text" in card["class"]
    assert not card.select("img, picture, .card__image")
    panel = card.select_one(".card__panel")
    assert "card__panel--accent" in panel["class"]  # StoryPage.card_tone
    assert panel["aria-hidden"] == "true"  # decorative: the title follows as the heading
    assert panel.get_text(strip=True) == with_picture[0]
    # Its neighbours keep their pictures, and no panel.
    others = [c for c in index.select("article.card") if c is not card]
    assert others and all(c.select_one(".card__image picture") for c in others)
    assert not any(c.select(".card__panel") for c in others)
