"""The page tree: where each page type may live, and that every demo page answers."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from events.models import CallPage, EventIndexPage, EventPage
from home.models import (
    CountryIndexPage,
    CountryPage,
    Footer,
    FormPage,
    HomePage,
    MainMenu,
    Partner,
    ProjectIndexPage,
    ProjectPage,
    StandardPage,
)
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from stories.models import Person, StoryIndexPage, StoryPage


class TestWhereEachPageTypeMayLive(WagtailPageTestCase):
    """Editors can only create each page type where the design puts it."""

    def test_home_page_sits_at_the_root_and_holds_the_sections(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                CountryIndexPage,
                ProjectIndexPage,
                StoryIndexPage,
                EventIndexPage,
                NewsletterIndexPage,
                FormPage,
                StandardPage,
            },
        )

    def test_each_index_holds_only_its_own_pages(self):
        self.assertAllowedSubpageTypes(CountryIndexPage, {CountryPage})
        self.assertAllowedSubpageTypes(ProjectIndexPage, {ProjectPage})
        self.assertAllowedSubpageTypes(StoryIndexPage, {StoryPage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage, CallPage})
        self.assertAllowedSubpageTypes(NewsletterIndexPage, {NewsletterIssuePage})

    def test_detail_pages_live_only_under_their_index_and_have_no_children(self):
        for child, parent in [
            (CountryPage, CountryIndexPage),
            (ProjectPage, ProjectIndexPage),
            (StoryPage, StoryIndexPage),
            (EventPage, EventIndexPage),
            (CallPage, EventIndexPage),
            (NewsletterIssuePage, NewsletterIndexPage),
        ]:
            self.assertAllowedParentPageTypes(child, {parent})
            self.assertAllowedSubpageTypes(child, set())

    def test_index_pages_live_only_under_the_home_page(self):
        for index in [
            CountryIndexPage,
            ProjectIndexPage,
            StoryIndexPage,
            EventIndexPage,
            NewsletterIndexPage,
        ]:
            self.assertAllowedParentPageTypes(index, {HomePage})

    def test_forms_and_standard_pages(self):
        self.assertAllowedParentPageTypes(FormPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(FormPage, set())


@pytest.mark.django_db
def test_every_live_page_in_every_language_answers(client):
    """Walk the whole tree: every live page of /en/, /fr/ and /nl/ renders."""
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() == 40 * 3
    failures = []
    for page in pages:
        response = client.get(page.url)
        if response.status_code != 200:
            failures.append((page.url, response.status_code))
    assert failures == []


@pytest.mark.django_db
def test_every_page_type_is_in_the_demo(locales):
    """The demo shows every page type of the design, in each language."""
    for model in [
        HomePage,
        CountryIndexPage,
        CountryPage,
        ProjectIndexPage,
        ProjectPage,
        StoryIndexPage,
        StoryPage,
        EventIndexPage,
        EventPage,
        CallPage,
        NewsletterIndexPage,
        NewsletterIssuePage,
        FormPage,
        StandardPage,
    ]:
        for locale in locales.values():
            assert model.objects.live().filter(locale=locale).exists(), (model, locale)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept_language, expected",
    [
        ("", "/en/"),
        ("fr-BE,fr;q=0.9", "/fr/"),
        ("nl-BE,nl;q=0.9,en;q=0.5", "/nl/"),
        ("de-DE", "/en/"),
    ],
)
def test_root_sends_visitors_to_their_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    """A second run of load_demo creates, changes and removes nothing."""

    def snapshot():
        return {
            "pages": Page.objects.count(),
            "revisions": sum(p.revisions.count() for p in Page.objects.all()),
            "images": get_image_model().objects.count(),
            "partners": Partner.objects.count(),
            "people": Person.objects.count(),
            "menus": MainMenu.objects.count(),
            "footers": Footer.objects.count(),
            "titles": sorted(Page.objects.values_list("title", flat=True)),
        }

    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before
    assert before["pages"] == 1 + 40 * 3  # the tree root, then 40 pages per language
    assert before["images"] == 13


@pytest.mark.django_db
def test_demo_ids_are_stable():
    """Translation keys come from stable names, so shipped PO files match every build."""
    from demo.builder import stable_uuid

    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    assert issue.translation_key == stable_uuid("page:newsletter/1")
    assert [block.id for block in issue.body][:2] == [
        str(stable_uuid("newsletter/1/body#0")),
        str(stable_uuid("newsletter/1/body#1")),
    ]
