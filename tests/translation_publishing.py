"""Helpers for the tests of what a visitor sees of a translation in progress."""

import xml.etree.ElementTree as ET

from django.test import TestCase
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import translate_object
from wagtail_localize.synctree import create_aliases_for_new_page

from stories.models import StoryIndexPage, StoryPage
from tests.helpers import soup

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def new_english_story(title="The beekeepers of Kigali"):
    """A story published in English, with its French and Dutch aliases (as the admin's
    page creation makes them)."""
    index = StoryIndexPage.objects.get(locale=Locale.get_default())
    story = StoryPage(
        title=title,
        introduction="Three beekeepers tell how the cooperative started.",
        body=[("paragraph", RichText("<p>The hives stand on the hill above the market.</p>"))],
    )
    index.add_child(instance=story)
    story.save_revision().publish()
    create_aliases_for_new_page(story)
    return StoryPage.objects.get(pk=story.pk)


def committed():
    """Run what waits for the transaction's commit (wagtail-localize publishes on
    commit; the tests' transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def submit(obj, language, user=None):
    """Submit `obj` for translation into `language`, as the admin's form does."""
    with committed():
        translate_object(obj, [Locale.objects.get(language_code=language)], user=user)
    return TranslationSource.objects.get(object_id=obj.translation_key, locale=obj.locale_id)


def translate_strings(source, language, share=1.0, prefix="FR: "):
    """Translate the first `share` of the source's string segments into `language`
    (what a translator types in the editor). Returns how many are left."""
    locale = Locale.objects.get(language_code=language)
    segments = list(StringSegment.objects.filter(source=source).order_by("order"))
    count = round(len(segments) * share)
    for segment in segments[:count]:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": prefix + segment.string.data},
        )
    return len(segments) - count


def page_in(obj, language):
    return type(obj).objects.get(
        translation_key=obj.translation_key, locale__language_code=language
    )


def presentation(client, page):
    """What a visitor and a crawler are told about `page`: its content's language,
    canonical URL, hreflang alternates and whether the notice shows."""
    html = soup(client.get(page.url))
    content = html.select_one(".site-main__content")
    return {
        "html_lang": html.html.get("lang"),
        "content_lang": content.get("lang"),
        "canonical": html.select_one('link[rel="canonical"]')["href"],
        "hreflang": {link["hreflang"] for link in html.select('link[rel="alternate"][hreflang]')},
        "notice": bool(html.select(".notice--untranslated")),
        "updated_notice": html.select_one(".notice--updated-source"),
        "text": content.get_text(" ", strip=True),
    }


def sitemap_urls(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own output)
    return {loc.text for loc in root.findall("s:url/s:loc", NS)}
