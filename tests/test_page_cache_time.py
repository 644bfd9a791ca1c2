"""Time is part of a page (pagecache/lifetime.py): a cached page whose content
changes at a known moment leaves the cache at that moment, without anyone saving
anything, and the CDN keeps it no longer; a process's own copy of a page expires like
the shared entry; a registration empties its event's pages and no other.

The clock is moved by replacing django.utils.timezone.now, which the pages, the
events' schedule and the page cache all read.
"""

import datetime
import io

import pytest
from django.utils import timezone
from wagtail.models import Locale

from events.models import CallPage, EventIndexPage
from events.models.schedule import BRUSSELS
from pagecache import cdn
from pagecache import middleware as page_cache
from pagecache.middleware import HIT_HEADER, CachedPagesApp
from tests.events.factories import form_data, make_event, register_url
from tests.helpers import soup, text_of

pytestmark = pytest.mark.django_db
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
CALL_SLUG = "invest-in-a-rwanda-pilot-project"


def cached(client, url):
    """The page, asked for twice: the second answer comes from the cache."""
    client.get(url)
    response = client.get(url)
    assert response[HIT_HEADER] == "hit", url
    return response


def s_maxage(response):
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        if name == "s-maxage":
            return int(value)
    raise AssertionError(response["Cache-Control"])


def section_text(response, section_id):
    section = soup(response).find(id=section_id)
    return " ".join(section.get_text(" ").split()) if section else ""


def events_index(code="en"):
    return EventIndexPage.objects.get(locale=Locale.objects.get(language_code=code))


def test_a_registration_form_closes_on_the_cached_page_at_its_closing_time(client, clock):
    event = make_event(closes=clock.now + datetime.timedelta(minutes=5))["en"]
    first = client.get(event.url)
    assert first[HIT_HEADER] == "miss"
    assert s_maxage(first) == 300, "the CDN keeps the page until registration closes"
    page = cached(client, event.url)
    assert soup(page).select_one("#register form") is not None

    clock.advance(minutes=5, seconds=1)

    after = client.get(event.url)
    assert after[HIT_HEADER] == "miss"
    assert "Registration is closed." in text_of(after)
    assert soup(after).select_one("#register form") is None


def test_a_hit_gives_the_cdn_only_what_is_left_of_the_page_s_lifetime(client, clock):
    event = make_event(closes=clock.now + datetime.timedelta(seconds=100))["fr"]
    assert s_maxage(client.get(event.url)) == 100
    clock.advance(seconds=40)
    hit = client.get(event.url)
    assert hit[HIT_HEADER] == "hit"
    assert s_maxage(hit) == 60
    # The same through the WSGI entry point production uses.
    headers = {}

    def start_response(status, response_headers):
        headers.update(response_headers)

    app = CachedPagesApp(lambda environ, start: pytest.fail("not answered from the cache"))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": event.url,
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    app(environ, start_response)
    assert "s-maxage=60" in headers["Cache-Control"]


def test_an_event_moves_from_upcoming_to_past_on_the_cached_index_and_home_page(client, clock):
    event = make_event(start=clock.now + datetime.timedelta(minutes=5))["fr"]
    index_url = events_index("fr").url
    assert event.title in section_text(cached(client, index_url), "upcoming")
    assert event.title not in section_text(cached(client, index_url), "past")
    assert event.title in text_of(cached(client, "/fr/"))

    clock.advance(hours=3, minutes=6)  # the event (5 minutes from now, 3 hours) is over

    index = client.get(index_url)
    assert index[HIT_HEADER] == "miss"
    assert event.title not in section_text(index, "upcoming")
    assert event.title in section_text(index, "past")
    home = client.get("/fr/")
    assert home[HIT_HEADER] == "miss"
    assert event.title not in text_of(home)


def test_an_event_of_one_day_passes_at_brussels_midnight(client, clock):
    # Noon in Brussels tomorrow; an event without an end stays upcoming that whole day.
    tomorrow = timezone.localtime(clock.now, BRUSSELS).date() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time(12), tzinfo=BRUSSELS)
    pages = make_event(start=start)
    for page in pages.values():
        type(page).objects.filter(pk=page.pk).update(end=None)
    index_url = events_index("en").url
    clock.now = start + datetime.timedelta(hours=10)  # 22:00, still that day
    assert pages["en"].title in section_text(cached(client, index_url), "upcoming")

    clock.advance(hours=2, minutes=1)  # 00:01 the day after

    index = client.get(index_url)
    assert index[HIT_HEADER] == "miss"
    assert pages["en"].title in section_text(index, "past")


def test_a_call_closes_on_its_cached_page_and_leaves_the_open_calls(client, clock):
    english = CallPage.objects.get(slug=CALL_SLUG, locale__language_code="en")
    CallPage.objects.filter(translation_key=english.translation_key).update(
        deadline=clock.now + datetime.timedelta(minutes=20)
    )
    call = CallPage.objects.get(translation_key=english.translation_key, locale__language_code="nl")
    index_url = events_index("nl").url
    page = cached(client, call.url)
    assert soup(page).select("main form:not(.discussion__form)")
    assert call.title in section_text(cached(client, index_url), "upcoming")

    clock.advance(minutes=20, seconds=1)

    after = client.get(call.url)
    assert after[HIT_HEADER] == "miss"
    assert not soup(after).select("main form:not(.discussion__form)")
    assert "badge--closed" in after.content.decode()
    index = client.get(index_url)
    assert index[HIT_HEADER] == "miss"
    assert call.title in section_text(index, "past")


def test_a_process_s_copy_older_than_its_lifetime_is_not_served(client, clock, settings):
    settings.PAGE_CACHE_SECONDS = 1
    client.get("/en/")
    key = next(reversed(page_cache._recent))  # this process's copy of the page
    # The shared entry is gone (expired in Redis): only the process's copy is left.
    page_cache.cache.delete(key)
    assert client.get("/en/")[HIT_HEADER] == "hit"

    clock.advance(seconds=3)

    assert client.get("/en/")[HIT_HEADER] == "miss"


def test_a_registration_empties_its_event_s_pages_in_every_language_and_no_other(
    client, clock, django_capture_on_commit_callbacks
):
    pages = make_event(capacity=5)
    for page in pages.values():
        cached(client, page.url)
    for url in ("/fr/", events_index("fr").url):
        cached(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(pages["fr"]), form_data(), **SAME_ORIGIN)
    assert response.status_code == 303

    for code, page in pages.items():
        after = client.get(page.url)
        assert after[HIT_HEADER] == "miss", code
    assert "4 left" in text_of(client.get(pages["en"].url))
    for url in ("/fr/", events_index("fr").url):
        assert client.get(url)[HIT_HEADER] == "hit", url


def test_with_a_cdn_a_registration_purges_its_event_s_pages_only(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    queued = []

    class Recorder:
        def __init__(self, name):
            self.name = name

        def enqueue(self, *args):
            queued.append((self.name, *args))

    monkeypatch.setattr(cdn, "purge_translation", Recorder("event pages"))
    monkeypatch.setattr(cdn, "purge_site", Recorder("site"))
    pages = make_event(capacity=5)
    queued.clear()

    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            data = form_data(email=f"person{n}@example.org")
            client.post(register_url(pages["nl"]), data, **SAME_ORIGIN)

    # Three registrations within a minute: one purge, of this event's pages.
    assert queued == [("event pages", str(pages["en"].translation_key))]
