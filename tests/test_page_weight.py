"""The home page's HTML, CSS and JavaScript stay under 60 KB compressed, in every
language; `make bench-weight` prints every page type's weight."""

import pytest

from tests.page_weight import weigh

BUDGET = 60 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_the_home_page_weighs_under_60_kb_compressed(client, language):
    weight = weigh(client, f"/{language}/")
    assert weight["total"] < BUDGET, weight


@pytest.mark.django_db
def test_a_video_page_loads_its_script_and_stays_light(client):
    weight = weigh(client, "/en/stories/women-diaspora-4dev-academy-video/")
    assert weight["js"] > 0  # the video facade's script, on pages with a video only
    assert weight["total"] < BUDGET, weight
