"""Listings whose SQL is compiled once per process (home/prepared.py) give what the
queryset they replace gives, at every request: the same objects, the content as it is
now, the time as it is now; and their SQL is compiled once."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max
from django.db.models.sql import compiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from events.models import EventIndexPage
from events.models.schedule import start_of_today
from home.models import CountryIndexPage, CountryPage, HomePage, ProjectIndexPage
from home.models.base import public
from home.prepared import PreparedListing, prepared, prepared_count, summarised
from newsletter.models import NewsletterIndexPage
from stories.models import StoryIndexPage, StoryPage
from tests.events.dated_events import make_event

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "fr", "nl")


def seen(pages, leave_out=()):
    """What a template can read of each object: its type, its fields and annotations,
    and the objects that came with it (a listing image)."""
    return [
        (
            type(page),
            {
                name: value
                for name, value in vars(page).items()
                if not name.startswith("_") and name not in leave_out
            },
            {
                name: (type(value), value.pk)
                for name, value in page._state.fields_cache.items()
                if value is not None
            },
        )
        for page in pages
    ]


def index(model, code="en"):
    return model.objects.get(locale=Locale.objects.get(language_code=code))


def listings(code):
    """Querysets of the kinds the site prepares: specific pages with their listing
    images, deferred specific pages, a slice, an aggregate."""
    home = index(HomePage, code)
    stories = index(StoryIndexPage, code)
    countries = index(CountryIndexPage, code)
    return {
        "home's sections": lambda: public(home.get_children().live()).specific(defer=True),
        "projects": index(ProjectIndexPage, code).get_projects,
        "latest stories": lambda: stories.get_stories()[:2],
        "issues": index(NewsletterIndexPage, code).get_issues,
        "countries": lambda: CountryPage.objects.child_of(countries).live().with_listing_images(),
        "summary": lambda: summarised(stories.get_children(), count=Count("*"), last=Max("pk")),
    }


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_prepared_queryset_gives_what_the_queryset_gives(code):
    for name, build in listings(code).items():
        expected = seen(build()) if name != "summary" else list(build())
        for _ in range(2):  # compiled, then run again
            found = prepared(("test", name, code), build)
            assert (seen(found) if name != "summary" else list(found)) == expected, name


def test_its_sql_is_compiled_once_and_run_in_one_query(monkeypatch):
    stories = index(StoryIndexPage)
    compiled = []
    original = compiler.SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", as_sql)
    list(prepared(("test", "compiled once"), stories.get_stories))
    assert compiled
    compiled.clear()
    with CaptureQueriesContext(connection) as queries:
        again = list(prepared(("test", "compiled once"), stories.get_stories))
    assert again and not compiled
    assert len(queries) == 1


def test_it_shows_the_content_as_it_is_now():
    stories = index(StoryIndexPage)
    key = ("test", "content now")
    before = [page.pk for page in prepared(key, stories.get_stories)]
    story = StoryPage(
        title="Newest story",
        introduction="What it is about.",
        date=timezone.localdate() + datetime.timedelta(days=1),
    )
    stories.add_child(instance=story)
    assert [page.pk for page in prepared(key, stories.get_stories)] == [story.pk, *before]
    story.title = "Renamed"
    story.save()
    assert next(iter(prepared(key, stories.get_stories))).title == "Renamed"
    story.unpublish()
    assert [page.pk for page in prepared(key, stories.get_stories)] == before


def test_moments_are_those_of_each_run():
    """The event index's upcoming events, prepared with the time as a moment: an
    event that ends between two runs leaves the list, as the queryset says."""
    events = index(EventIndexPage)
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    make_event("Ends within the hour", now - hour, end=now + hour)

    def upcoming(at):
        moments = {"now": at, "today": start_of_today(at)}
        found = prepared(("test", "moments"), events.get_upcoming_events, **moments)
        assert seen(found) == seen(events.get_upcoming_events(**moments))
        return [page.title for page in found]

    assert "Ends within the hour" in upcoming(now)
    assert "Ends within the hour" not in upcoming(now + datetime.timedelta(hours=2))
    assert "Ends within the hour" in upcoming(now)


def test_a_value_derived_from_a_moment_is_refused():
    events = index(EventIndexPage)

    def upcoming(now):  # its day, derived from `now`, would be frozen at the stand-in
        return events.get_upcoming_events(now=now, today=start_of_today(now))

    with pytest.raises(ValueError, match="moment of its own"):
        prepared(("test", "derived moment"), upcoming, now=timezone.now())


def test_chaining_a_prepared_queryset_gives_an_ordinary_one():
    stories = index(StoryIndexPage)
    found = prepared(("test", "chained"), stories.get_stories)
    expected = stories.get_stories()
    assert found.count() == expected.count()
    title = expected[0].title
    assert [page.pk for page in found.filter(title=title)] == [expected[0].pk]
    assert [page.pk for page in found[1:]] == [page.pk for page in expected[1:]]
    assert prepared_count(("test", "count"), stories.get_stories) == expected.count()


NUMBERS = [None, "", "1", "2", "3", "4", "x", "0", "-2", "99", "2.5"]


@pytest.mark.parametrize("per_page", [4, 5, 15, 20])
def test_a_prepared_listing_is_paginated_as_its_queryset(per_page):
    def countries():
        return CountryPage.objects.filter(locale=Locale.get_default()).order_by("title")

    for number in NUMBERS:
        expected = Paginator(countries(), per_page).get_page(number)
        found = PreparedListing(("test", "pages"), countries).page(number, per_page)
        assert (found.number, found.paginator.count, found.paginator.num_pages) == (
            expected.number,
            expected.paginator.count,
            expected.paginator.num_pages,
        ), number
        assert seen(found, leave_out={"listing_total"}) == seen(expected), number


def test_an_empty_prepared_listing_has_its_one_page():
    def nothing():
        return CountryPage.objects.filter(title="No such country").order_by("title")

    for number in NUMBERS:
        page = PreparedListing(("test", "empty"), nothing).page(number, 12)
        assert (page.number, list(page), page.paginator.num_pages) == (1, [], 1)


def test_a_page_in_range_takes_one_query():
    def countries():
        return CountryPage.objects.filter(locale=Locale.get_default()).order_by("title")

    listing = PreparedListing(("test", "one query"), countries)
    for number in ("1", "2", None):
        listing.page(number, 4)  # prepared
        with CaptureQueriesContext(connection) as queries:
            page = listing.page(number, 4)
            list(page)
            assert page.paginator.num_pages == 4
        assert len(queries) == 1
