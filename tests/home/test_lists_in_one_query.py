"""Several lists in one query (home/first_of_each.py): the related lists of country
and project pages, and the home page's sections of latest pages, are each list's own
queryset cut as before, in the same order; and they take one query whatever the
content."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from events.models import CallPage, EventIndexPage, EventPage
from home.models import CountryPage, HomePage, ProjectIndexPage, ProjectPage
from home.related import RELATED_ITEMS, _relations, pages_pointing_at, related_sections
from stories.models import StoryIndexPage, StoryPage

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "fr", "nl")


def shown(pages):
    """What a card shows of each page, and the type it comes as."""
    return [
        (type(page), page.pk, page.title, page.url_path, page.listing_image_id, page.summary)
        for page in pages
    ]


def each_type_s_own(page):
    """The related lists as one queryset per type gives them."""
    return {
        key: shown(
            pages_pointing_at(page, model, field_name)
            .with_listing_images()
            .order_by(*listing.order_by)[:RELATED_ITEMS]
        )
        for key, model, field_name, listing in _relations(type(page))
    }


def related(page):
    return {section.key: shown(section.pages) for section in related_sections(page)}


def pages_listing_others(code):
    locale = Locale.objects.get(language_code=code)
    return [*CountryPage.objects.filter(locale=locale), *ProjectPage.objects.filter(locale=locale)]


@pytest.fixture
def more_about_rwanda():
    """More pages about Rwanda than a list shows, of every type, in distinct orders."""
    rwanda = CountryPage.objects.get(locale=Locale.get_default(), country="RW")
    project = ProjectPage.objects.filter(locale=Locale.get_default()).first()
    now = timezone.now()
    days = (datetime.timedelta(days=n) for n in itertools.count(1))
    indexes = {
        model: index.objects.get(locale=Locale.get_default())
        for model, index in (
            (StoryPage, StoryIndexPage),
            (ProjectPage, ProjectIndexPage),
            (EventPage, EventIndexPage),
            (CallPage, EventIndexPage),
        )
    }
    for n in range(RELATED_ITEMS + 2):
        stories = indexes[StoryPage]
        stories.add_child(
            instance=StoryPage(
                title=f"Story {n}",
                introduction="About Rwanda.",
                country=rwanda,
                project=project,
                date=now.date() - next(days),
                first_published_at=now - next(days),
            )
        )
        indexes[ProjectPage].add_child(
            instance=ProjectPage(
                title=f"Project {n}", introduction="In Rwanda.", countries=[rwanda]
            )
        )
        indexes[EventPage].add_child(
            instance=EventPage(
                title=f"Event {n}",
                introduction="In Rwanda.",
                start=now + next(days),
                countries=[rwanda],
                project=project,
            )
        )
        indexes[CallPage].add_child(
            instance=CallPage(
                title=f"Call {n}",
                introduction="For Rwanda.",
                deadline=now + next(days),
                countries=[rwanda],
                project=project,
            )
        )
    return rwanda


@pytest.mark.parametrize("code", LANGUAGES)
def test_related_lists_are_each_type_s_own_lists(code):
    for page in pages_listing_others(code):
        assert related(page) == each_type_s_own(page), page.url_path


def test_each_related_list_is_cut_in_its_type_s_order(more_about_rwanda):
    project = ProjectPage.objects.filter(locale=Locale.get_default()).first()
    for page in (more_about_rwanda, project):
        lists = related(page)
        assert lists == each_type_s_own(page)
        assert {len(cards) for cards in lists.values()} == {RELATED_ITEMS}


def test_related_lists_take_one_query_whatever_the_content(more_about_rwanda):
    with CaptureQueriesContext(connection) as queries:
        related(more_about_rwanda)
    assert len(queries) == 1


def home_sections(code):
    home = HomePage.objects.get(locale=Locale.objects.get(language_code=code))
    return {section["page"].pk: shown(section["items"]) for section in home.get_sections()}


def each_index_s_own(code):
    home = HomePage.objects.get(locale=Locale.objects.get(language_code=code))
    return {
        page.pk: shown(page.specific.home_section_items())
        for page in home.get_children().live()
        if hasattr(page.specific, "home_section_items")
    }


@pytest.mark.parametrize("code", LANGUAGES)
def test_home_sections_are_each_index_s_own(code):
    assert home_sections(code) == each_index_s_own(code)


def test_home_sections_are_each_index_s_latest_with_more_content(more_about_rwanda):
    sections = home_sections("en")
    assert sections == each_index_s_own("en")
    stories = StoryIndexPage.objects.get(locale=Locale.get_default())
    assert [title for _, _, title, *_ in sections[stories.pk]] == ["Story 0", "Story 1", "Story 2"]


@pytest.mark.parametrize("more_content", [False, True])
def test_home_sections_take_as_many_queries_whatever_the_content(
    request, more_content, django_assert_num_queries
):
    if more_content:
        request.getfixturevalue("more_about_rwanda")
    home = HomePage.objects.get(locale=Locale.get_default())
    home.get_sections()  # prepared
    # The index pages, the countries, the upcoming events, the latest of the rest.
    with django_assert_num_queries(4):
        home.get_sections()
