"""The page cache warms itself (pagecache/warmup.py, issue 16, item 4): after a change
empties it, a task renders the pages visitors read most (each home page, its
sections, the latest issue, in three languages) through the whole middleware stack
at the public address, so that the next visitor gets them from the cache. At most one
warm-up starts a minute; a cache or task queue that fails never fails the change.

The task queues are in the database here, as in production (`database_queues`), and
the worker is run explicitly (tests/test_email_queue.py's `run_worker`).
"""

import datetime
import logging
import time

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from redis.exceptions import ConnectionError as RedisConnectionError

from pagecache import warmup
from pagecache.middleware import HIT_HEADER
from stories.models import StoryPage
from tests.events.factories import make_event
from tests.helpers import demo_url, text_of
from tests.test_email_queue import run_worker

pytestmark = pytest.mark.django_db
TASK_PATH = "pagecache.warmup.warm_pages"
# What visitors read most: each home page, its sections, the latest issue.
WARMED = ["", "countries", "projects", "stories", "events", "newsletter", "newsletter/issue-1"]


@pytest.fixture(autouse=True)
def no_failure_logged_yet():
    warmup._failing.clear()
    yield
    warmup._failing.clear()


def warm_ups(status="READY", reason="change"):
    """The warm-up tasks queued by a change ("change") or for a moment ("time")."""
    return DBTaskResult.objects.filter(
        task_path=TASK_PATH, status=status, args_kwargs__args=[reason]
    )


def publish_story_title(title, capture):
    story = StoryPage.objects.filter(locale__language_code="en").live().order_by("path").first()
    story.title = title
    with capture(execute=True):
        story.save_revision().publish()
    connection.run_on_commit.clear()  # as a commit does (the test's transaction never ends)
    return story


def a_minute_passes():
    """What the clock does to the warm-up's bookkeeping: the lock of the last start
    expires, and a warm-up queued for a minute later becomes due."""
    cache.delete(warmup.STARTED_KEY)
    warm_ups().update(run_after=timezone.now())


@pytest.mark.usefixtures("database_queues")
def test_a_publish_queues_a_warm_up_after_which_visitors_get_the_pages_from_the_cache(
    client, django_capture_on_commit_callbacks
):
    publish_story_title("A story warmed before anyone asked", django_capture_on_commit_callbacks)

    queued = warm_ups().get()
    assert (queued.backend_name, queued.queue_name) == ("emails", "default")
    assert queued.priority < 0, "visitors' emails waiting on the same queue go first"
    assert not DBTaskResult.objects.filter(backend_name="background", task_path=TASK_PATH)

    run_worker("emails")

    done = warm_ups("SUCCESSFUL").get()
    assert done.return_value == {"pages": 21, "stored": 21, "seconds": pytest.approx(5, abs=60)}
    for code in ("en", "fr", "nl"):
        for english in WARMED:
            response = client.get(demo_url(english, code))
            assert response[HIT_HEADER] == "hit", (code, english)
    # Rendered after the change, not before it.
    stories = client.get(demo_url("stories"))
    assert "A story warmed before anyone asked" in text_of(stories)
    # Pages read less are left to their first visitor.
    assert client.get(demo_url("countries/niger"))[HIT_HEADER] == "miss"


@pytest.mark.usefixtures("database_queues")
def test_at_most_one_warm_up_a_minute_and_a_change_after_one_began_is_warmed_too(
    client, django_capture_on_commit_callbacks
):
    publish_story_title("First change", django_capture_on_commit_callbacks)
    publish_story_title("Second change, same minute", django_capture_on_commit_callbacks)
    assert warm_ups().count() == 1, "a queued warm-up that has not started covers both"
    run_worker("emails")
    assert "Second change, same minute" in text_of(client.get(demo_url("stories")))

    # An edit right after the warm-up began: the next one is queued for a minute after.
    began = cache.get(warmup.STARTED_KEY)
    publish_story_title("Third change, just after", django_capture_on_commit_callbacks)
    publish_story_title("Fourth change, just after", django_capture_on_commit_callbacks)
    queued = warm_ups().get()
    assert queued.run_after.timestamp() == pytest.approx(began + 61, abs=1)
    run_worker("emails")
    assert warm_ups().count() == 1, "not due yet"
    assert client.get("/en/")[HIT_HEADER] == "miss"

    a_minute_passes()
    run_worker("emails")
    assert warm_ups("SUCCESSFUL").count() == 2
    stories = client.get(demo_url("stories", "en"))
    assert stories[HIT_HEADER] == "hit"
    assert "Fourth change, just after" in text_of(stories)


@pytest.mark.usefixtures("database_queues")
def test_one_publish_queues_one_warm_up_even_when_a_worker_starts_it_at_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    enqueue = warmup._enqueue

    def and_a_worker_starts_it(reason, at):
        enqueue(reason, at)
        cache.delete(warmup.QUEUED_KEY)  # what the task does first
        cache.add(warmup.STARTED_KEY, time.time(), timeout=warmup.MIN_INTERVAL)

    monkeypatch.setattr(warmup, "_enqueue", and_a_worker_starts_it)
    publish_story_title("Published once", django_capture_on_commit_callbacks)
    assert warm_ups().count() == 1


@pytest.mark.usefixtures("database_queues")
def test_a_warm_up_due_less_than_a_minute_after_another_began_waits_for_the_minute():
    cache.add(warmup.STARTED_KEY, time.time(), timeout=warmup.MIN_INTERVAL)
    warmup.warm_pages.enqueue("time")
    run_worker("emails")
    assert warm_ups("SUCCESSFUL", "time").get().return_value == {"deferred": True}
    follower = warm_ups().get()
    assert follower.run_after > timezone.now() + datetime.timedelta(seconds=50)


@pytest.mark.usefixtures("database_queues")
def test_when_a_warmed_page_changes_by_itself_it_is_warmed_again_just_after(client, monkeypatch):
    # An event on the home page and the events index leaves the upcoming list when it
    # ends, two minutes from now: both pages said so while the warm-up rendered them.
    ends = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=2)
    make_event(start=ends - datetime.timedelta(hours=3))
    warmup.warm_pages.enqueue("change")
    run_worker("emails")
    assert "Diaspora career day" in text_of(client.get("/en/"))

    at_the_end = warm_ups(reason="time").get()
    assert at_the_end.run_after == ends + datetime.timedelta(seconds=1)

    later = ends + datetime.timedelta(seconds=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    cache.delete(warmup.STARTED_KEY)  # (the real clock did not move)
    run_worker("emails")
    home = client.get("/en/")
    assert home[HIT_HEADER] == "hit", "warmed again once the event ended"
    assert "Diaspora career day" not in text_of(home)


def test_the_warm_up_stores_the_entry_visitors_look_up_at_the_public_address(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://diaspora.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "diaspora.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600

    [warmed] = warmup.warm(["/fr/"])
    assert (warmed.status, warmed.stored) == (200, True)

    behind_the_load_balancer = {
        "HTTP_HOST": "diaspora.example.org",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    visitor = client.get("/fr/", **behind_the_load_balancer)
    assert visitor[HIT_HEADER] == "hit"
    assert not visitor.cookies
    assert "Strict-Transport-Security" in visitor, "rendered as the HTTPS request it stands for"
    other_host = client.get("/fr/", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    assert other_host[HIT_HEADER] == "miss", "another host has entries of its own"


def test_without_a_worker_nothing_is_queued_and_the_editor_s_request_renders_nothing(
    client, django_capture_on_commit_callbacks
):
    # The suite runs "emails" tasks at once: a warm-up would render in the request.
    publish_story_title("Published without workers", django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
    assert client.get("/en/")[HIT_HEADER] == "miss"


@pytest.mark.usefixtures("database_queues")
def test_with_the_page_cache_off_nothing_is_queued(settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 0
    publish_story_title("Uncached site", django_capture_on_commit_callbacks)
    assert not warm_ups().exists()


class CacheDown:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise RedisConnectionError("Connection refused")

        return fail


@pytest.mark.usefixtures("database_queues")
def test_a_publish_succeeds_when_the_cache_fails_the_warm_up_and_it_is_logged_once(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(warmup, "cache", CacheDown())
    with caplog.at_level(logging.WARNING, logger="pagecache.warmup"):
        publish_story_title("Published while Redis is away", django_capture_on_commit_callbacks)
        story = publish_story_title("Again", django_capture_on_commit_callbacks)
    story.refresh_from_db()
    assert story.live and story.title == "Again"
    assert [record.getMessage() for record in caplog.records] == [
        "A warm-up of the page cache could not be queued (ConnectionError): pages are "
        "cached as visitors ask for them."
    ]
    assert not warm_ups().exists()


@pytest.mark.usefixtures("database_queues")
def test_a_publish_succeeds_when_the_task_queue_fails_and_the_next_change_queues_again(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def queue_down(self, task, args, kwargs):
        raise DatabaseError("could not write the task row")

    with monkeypatch.context() as patched:
        patched.setattr(DatabaseBackend, "enqueue", queue_down)
        with caplog.at_level(logging.WARNING, logger="pagecache.warmup"):
            story = publish_story_title("Queue away", django_capture_on_commit_callbacks)
    story.refresh_from_db()
    assert story.live and story.title == "Queue away"
    assert "could not be queued (DatabaseError)" in caplog.text
    assert "could not write" not in caplog.text

    publish_story_title("Queue back", django_capture_on_commit_callbacks)
    assert warm_ups().count() == 1


def test_a_warm_up_that_stores_nothing_says_what_to_check(client, settings, caplog):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.org"  # not a host of the site
    with caplog.at_level(logging.WARNING, logger="pagecache.warmup"):
        result = warmup.warm_pages.call("change")
    assert result == {"pages": 21, "stored": 0, "seconds": pytest.approx(5, abs=60)}
    assert "stored none of its 21 pages (answers: 400)" in caplog.text
    assert client.get("/en/")[HIT_HEADER] == "miss"
