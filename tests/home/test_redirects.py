"""A page renamed after an issue was emailed keeps its old address working."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from stories.models import StoryPage


@pytest.mark.django_db
def test_renaming_a_page_redirects_its_old_address(client, django_capture_on_commit_callbacks):
    story = StoryPage.objects.get(
        slug="mission-to-niger-and-tahoua-job-fair", locale__language_code="en"
    )
    old_url = story.url
    story.slug = "niger-mission-2019"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail acts after commit
        story.save_revision().publish()

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/en/stories/niger-mission-2019/")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_editors_can_add_a_redirect_by_hand(client):
    story = StoryPage.objects.get(
        slug="mission-to-niger-and-tahoua-job-fair", locale__language_code="en"
    )
    Redirect.objects.create(old_path="/niger", redirect_page=story)
    response = client.get("/niger")
    assert response.status_code == 301
    assert response["Location"].endswith(story.url)
