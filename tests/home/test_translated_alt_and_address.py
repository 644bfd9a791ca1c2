"""Alt text, the office's address, partners and people read in the visitor's language.

The alt text of an image shown on a page is the page's own (translated with the page),
else the image's, which is English and then marked `lang="en"`. The postal address is
worded per language in the footer snippet; phone, email and website stay settings.
"""

import pytest
from django.core.cache import cache
from django.utils import translation
from wagtail_localize.models import TranslationSource

from home.models import Footer, Partner
from newsletter.issue_email import render_issue, version_for
from newsletter.models import NewsletterIssuePage
from stories.models import Person, StoryIndexPage, StoryPage
from tests.helpers import in_language, soup

pytestmark = pytest.mark.django_db

VIDEO_STORY = "women-diaspora-4dev-academy-video"
POSTER_ALT = {
    "fr": "Illustration\u00a0: un grand bouton de lecture",
    "nl": "Illustratie: een grote afspeelknop",
}


def video_story(code="en"):
    return in_language(StoryPage.objects.get(slug=VIDEO_STORY, locale__language_code="en"), code)


@pytest.mark.parametrize("code", ["fr", "nl"])
def test_a_translated_page_shows_its_own_alt_text_on_the_page_its_card_and_when_shared(
    client, code
):
    story = video_story(code)
    page = soup(client.get(story.url))
    poster = page.select_one("main .video img")
    assert poster["alt"] == POSTER_ALT[code]
    assert not poster.has_attr("lang")
    assert page.select_one('meta[property="og:image:alt"]')["content"] == POSTER_ALT[code]

    index = soup(
        client.get(in_language(StoryIndexPage.objects.get(locale__language_code="en"), code).url)
    )
    card = index.find("a", href=story.url).find_parent("article")
    assert card.select_one("img")["alt"] == POSTER_ALT[code]


def test_without_its_own_alt_text_a_translated_page_marks_the_image_s_english_one(client):
    story = video_story("fr")
    story.listing_image_alt = ""
    body = story.body.raw_data
    body[0]["value"]["poster_alt"] = ""
    story.body = body
    story.save_revision().publish()

    page = soup(client.get(story.url))
    english_alt = story.listing_image.default_alt_text
    assert english_alt.startswith("Illustration: ")
    poster = page.select_one("main .video img")
    assert (poster["alt"], poster["lang"]) == (english_alt, "en")
    # In English the same image needs no mark.
    english = soup(client.get(video_story("en").url)).select_one("main .video img")
    assert not english.has_attr("lang")


def test_a_block_stored_before_its_alt_field_existed_still_goes_to_translators():
    issue = NewsletterIssuePage.objects.get(locale__language_code="en")
    body = issue.body.raw_data
    spotlights = [block for block in body if block["type"] == "spotlight"]
    for block in spotlights:
        block["value"].pop("image_alt", None)
    issue.body = body
    issue.save()

    source, _ = TranslationSource.update_or_create_from_instance(issue)
    assert source.stringsegment_set.exists()


@pytest.mark.parametrize(
    ("code", "city", "street"),
    [
        ("en", "1000 Brussels", "40, Rue Montoyer"),
        ("fr", "1000 Bruxelles", "Rue Montoyer 40"),
        ("nl", "1000 Brussel", "Montoyerstraat 40"),
    ],
)
def test_the_footer_gives_the_address_in_the_visitor_s_language(client, code, city, street):
    footer = soup(client.get(f"/{code}/")).select_one("footer address")
    text = footer.get_text(" ", strip=True)
    assert street in text and city in text
    assert "+32 2 287 74 35" in text  # the settings' phone, the same in every language
    assert not footer.select("[lang]")


def test_an_untranslated_footer_shows_the_english_address_marked_as_english(client):
    Footer.objects.filter(locale__language_code="fr").update(has_untranslated_text=True)
    address = soup(client.get("/fr/")).select_one("footer address [lang]")
    assert address["lang"] == "en"
    assert "1000 Brussels" in address.get_text()


def test_the_issue_email_gives_the_address_in_the_reader_s_language():
    english = NewsletterIssuePage.objects.get(locale__language_code="en")
    for code, city in (("fr", "1000 Bruxelles"), ("nl", "1000 Brussel")):
        with translation.override(code):
            email = render_issue(version_for(english, code), code)
        assert city in email.text and "Brussels" not in email.text


def test_the_contact_block_gives_the_address_in_the_page_s_language(client):
    english = NewsletterIssuePage.objects.get(locale__language_code="en")
    block = soup(client.get(in_language(english, "nl").url)).select_one("main .contact__address")
    assert "Montoyerstraat 40" in block.get_text() and "1000 Brussel" in block.get_text()


def test_a_partner_and_a_person_without_a_translation_are_marked_english(client):
    Partner.objects.filter(locale__language_code="fr").update(has_untranslated_text=True)
    Person.objects.filter(locale__language_code="fr").update(has_untranslated_text=True)
    issue = NewsletterIssuePage.objects.get(locale__language_code="en")
    partners = soup(client.get(in_language(issue, "fr").url)).select(".partner")
    assert partners and all(partner["lang"] == "en" for partner in partners)
    story = StoryPage.objects.filter(person__isnull=False, locale__language_code="en").first()
    person = soup(client.get(in_language(story, "fr").url)).select_one(".person__text")
    assert person["lang"] == "en"
    # Translated, they carry no mark.
    Person.objects.update(has_untranslated_text=False)
    cache.clear()  # (a queryset update bypasses the page cache's invalidation)
    person = soup(client.get(in_language(story, "fr").url)).select_one(".person__text")
    assert not person.has_attr("lang")
