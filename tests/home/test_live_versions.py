"""`home.i18n.live_versions` gives the same answers as the ORM version it replaced.

Every page asks for its language versions on every render (language switcher,
hreflang, metadata, an event's English settings); `live_versions` writes its one
statement out instead of having the ORM compile it. Both versions are asked about
every demo page in every language, and about an alias, a translation whose live
text falls back to English, an unpublished translation and a plain `Page`.
"""

import pytest
from django.db.models import Exists, OuterRef
from wagtail.models import Page

from home.i18n import live_versions
from home.models import CountryPage, FallbackRevision
from stories.models import StoryPage

pytestmark = pytest.mark.django_db


def reference_live_versions(page):
    """`live_versions` as it was written with the ORM (commit 61793fc), uncached."""
    shows_source_text = Exists(
        FallbackRevision.objects.filter(revision_id=OuterRef("live_revision_id"))
    )
    versions = (
        page.get_translations(inclusive=True)
        .live()
        .select_related("locale")
        .annotate(shows_source_text=shows_source_text)
    )
    return {version.locale.language_code: version for version in versions}


def described(versions):
    """Everything a version holds: its type, every field, its locale, the flag."""
    return [
        (
            code,
            type(version),
            {field.attname: getattr(version, field.attname) for field in version._meta.fields},
            (version.locale.pk, version.locale.language_code),
            version.shows_source_text,
        )
        for code, version in versions.items()
    ]


@pytest.fixture
def tree(locales):
    """The demo site, with an alias, a translation falling back to English and an
    unpublished translation."""
    en, fr, nl = locales["en"], locales["fr"], locales["nl"]
    rwanda = CountryPage.objects.get(country="RW", locale=en)
    Page.objects.filter(translation_key=rwanda.translation_key, locale=nl).update(alias_of=rwanda)
    story = StoryPage.objects.filter(locale=fr).exclude(live_revision=None).first()
    FallbackRevision.objects.create(revision_id=story.live_revision_id, missing_segments=2)
    niger = CountryPage.objects.get(country="NE", locale=en)
    Page.objects.filter(translation_key=niger.translation_key, locale=fr).update(live=False)
    return {"alias": rwanda.get_translation(nl), "falling back": story, "unpublished": niger}


def test_live_versions_answers_as_the_orm_version_did(tree, django_assert_num_queries):
    pages = [page.specific for page in Page.objects.filter(depth__gt=1)]
    pages += [Page.objects.get(pk=tree["alias"].pk)]  # not specific: versions of type Page
    assert len(pages) > 100
    for page in pages:
        expected = described(reference_live_versions(page))
        with django_assert_num_queries(1):
            got = described(live_versions(page))
        assert got == expected, page.url_path
        assert live_versions(page) is page._site_translations  # kept: no second query
        if page.live:
            assert page.locale.language_code in live_versions(page)


def test_the_fixture_has_the_cases_it_claims(tree):
    alias = live_versions(CountryPage.objects.get(pk=tree["alias"].pk))
    assert alias["nl"].alias_of_id is not None and alias["nl"].locale.language_code == "nl"
    story = live_versions(StoryPage.objects.get(pk=tree["falling back"].pk))
    assert story["fr"].shows_source_text is True and story["en"].shows_source_text is False
    assert set(live_versions(tree["unpublished"])) == {"en", "nl"}
