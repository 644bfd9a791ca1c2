"""A page renamed after an issue was emailed keeps its old address working."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail_localize.models import StringTranslation

from stories.models import StoryPage
from tests.helpers import soup
from tests.translation_publishing import (
    committed,
    new_english_story,
    page_in,
    submit,
    translate_strings,
)


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


# The French and Dutch demo pages have slugs of their own; the addresses they had
# with the English slugs (as aliases) redirect to them (demo/redirects.py).
OLD_AND_NEW = [
    ("/fr/countries/morocco/", "/fr/pays/maroc/"),
    ("/nl/countries/morocco/", "/nl/landen/marokko/"),
    ("/fr/countries/", "/fr/pays/"),
    ("/nl/events/", "/nl/evenementen/"),
    (
        "/fr/stories/mission-to-niger-and-tahoua-job-fair/",
        "/fr/temoignages/mission-niger-salon-emploi-tahoua/",
    ),
    ("/nl/events/rwanda-diaspora-info-session/", "/nl/evenementen/infosessie-rwandese-diaspora/"),
    ("/fr/newsletter/issue-1/", "/fr/lettre-d-information/numero-1/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("old, new", OLD_AND_NEW)
def test_english_slug_addresses_redirect_to_the_translated_pages(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    page = client.get(new)
    assert page.status_code == 200
    assert soup(page).html["lang"] == new.split("/")[1]


@pytest.mark.django_db
def test_an_old_address_without_a_language_goes_there_in_two_steps(client):
    response = client.get("/countries/morocco/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (response.status_code, response["Location"]) == (302, "/fr/countries/morocco/")
    response = client.get(response["Location"])
    assert (response.status_code, response["Location"]) == (301, "/fr/pays/maroc/")


@pytest.mark.django_db
def test_the_views_keep_their_english_addresses(client):
    """Links in emails already sent lead to views, which no page slug shadows."""
    assert client.get("/fr/events/propose/").status_code == 200
    assert client.get("/nl/newsletter/subscribe/").status_code == 200


@pytest.mark.django_db
def test_load_demo_again_creates_no_redirect_twice(django_capture_on_commit_callbacks):
    # 39 pages below each home page; the French contact page, the Dutch contact and
    # privacy pages keep their addresses.
    assert Redirect.objects.filter(automatically_created=False).count() == 38 + 37
    before = set(Redirect.objects.values_list("site_id", "old_path", "redirect_page_id"))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "(nothing to create)" in out.getvalue()
    assert set(Redirect.objects.values_list("site_id", "old_path", "redirect_page_id")) == before


@pytest.mark.django_db
def test_renaming_a_home_page_keeps_the_demo_redirects(client, django_capture_on_commit_callbacks):
    """Wagtail deletes all its automatically created redirects when a slug change moves
    no address (wagtail#11338); the demo's are not marked so."""
    home = Page.objects.get(depth=2, locale__language_code="nl").specific
    home.slug = "thuis"
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    assert client.get("/fr/countries/morocco/")["Location"] == "/fr/pays/maroc/"
    assert client.get("/nl/countries/morocco/")["Location"] == "/nl/landen/marokko/"


@pytest.mark.django_db
def test_a_translated_slug_keeps_the_alias_address_working(editor_client, client, locales):
    """A new story is first served in French as an alias at its English slug (a link
    to it may already be in an email); once translated, that address redirects."""
    story = new_english_story()
    french = page_in(story, "fr")
    alias_url = french.url
    assert client.get(alias_url).status_code == 200
    source = submit(story, "fr")
    translate_strings(source, "fr")
    StringTranslation.objects.filter(
        translation_of__segments__source=source, context__path="slug", locale=french.locale
    ).update(data="les-apiculteurs-de-kigali")
    with committed():
        editor_client.post(f"/admin/pages/{french.pk}/edit/", {"action": "publish"})

    french = page_in(story, "fr")
    assert french.url.endswith("/les-apiculteurs-de-kigali/")
    response = client.get(alias_url)
    assert response.status_code == 301
    assert response["Location"].endswith(french.url)
