"""The page cache (pagecache/): what anonymous visitors get from it, what
empties it, and who never gets it."""

import os

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from home.models import ContactSettings, Footer, HomePage
from pagecache.middleware import HIT_HEADER
from tests.events.factories import form_data, make_event, register_url
from tests.helpers import demo_page, soup, text_of

pytestmark = pytest.mark.django_db


def get_twice(client, url):
    first = client.get(url)
    second = client.get(url)
    return first, second


def home(code):
    return HomePage.objects.get(locale__language_code=code)


def test_an_anonymous_visitor_gets_the_second_view_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    first = client.get("/fr/")
    assert first[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/fr/")
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Language"] == "fr"
    assert second["Content-Type"] == first["Content-Type"]
    # A CDN may keep it; a browser asks again each time.
    cache_control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=600"} <= cache_control


def test_a_hit_is_answered_before_the_session_and_locale_middlewares_run(client, monkeypatch):
    client.get("/nl/")
    calls = []
    original = SessionMiddleware.process_request
    monkeypatch.setattr(
        SessionMiddleware,
        "process_request",
        lambda self, request: calls.append(request.path) or original(self, request),
    )
    response = client.get("/nl/")
    assert response[HIT_HEADER] == "hit"
    assert calls == []


def test_each_language_has_its_own_entry(client):
    for code, word in (("en", 'lang="en"'), ("fr", 'lang="fr"'), ("nl", 'lang="nl"')):
        _, second = get_twice(client, f"/{code}/")
        assert second[HIT_HEADER] == "hit"
        assert word in second.content.decode()


def test_a_published_edit_is_visible_at_once(client):
    _, cached = get_twice(client, "/en/")
    assert cached[HIT_HEADER] == "hit"
    page = home("en")
    page.title = "A brand new home title"
    page.seo_title = ""
    page.save_revision().publish()
    response = client.get("/en/")
    assert response[HIT_HEADER] == "miss"
    assert "A brand new home title" in response.content.decode()


def test_a_changed_snippet_or_setting_empties_the_cache(client):
    get_twice(client, "/en/")
    footer = Footer.objects.filter(locale__language_code="en").first()
    footer.organisation_name = "Snippet changed just now"
    footer.save()
    assert "Snippet changed just now" in text_of(client.get("/en/"))

    get_twice(client, "/en/")
    contact = ContactSettings.load()
    contact.email = "new-address@iom-belgium.example"
    contact.save()
    assert client.get("/en/")[HIT_HEADER] == "miss"


def test_an_editor_logged_in_is_never_served_from_the_cache(editor_client):
    visitor = Client()  # (editor_client is the `client` fixture, logged in)
    assert visitor.get("/en/")[HIT_HEADER] == "miss"
    response = editor_client.get("/en/")
    assert HIT_HEADER not in response
    # ... nor kept by a CDN: it may differ for someone logged in.
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert visitor.get("/en/")[HIT_HEADER] == "hit"


def test_the_language_redirect_at_the_root_is_never_cached(client):
    for _ in range(2):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 302
        assert response["Location"] == "/nl/"
        assert HIT_HEADER not in response
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/fr/"


def test_a_preview_is_never_cached(editor_client):
    page = home("en")
    response = editor_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200
    assert HIT_HEADER not in response


def test_search_results_are_not_cached(client):
    _, second = get_twice(client, "/en/search/?q=rwanda")
    assert HIT_HEADER not in second


def test_a_page_behind_a_password_is_not_cached(client):
    page = Page.objects.get(locale__language_code="en", slug="stories").specific
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    _, second = get_twice(client, page.url)
    assert HIT_HEADER not in second
    assert "private" in second["Cache-Control"]


def test_a_cached_page_made_private_is_no_longer_served_from_the_cache(client):
    page = Page.objects.get(locale__language_code="en", slug="stories").specific
    _, second = get_twice(client, page.url)
    assert second[HIT_HEADER] == "hit"
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get(page.url)
    assert HIT_HEADER not in response
    assert "password" in response.content.decode().lower()


def test_a_visitor_with_a_pending_message_is_not_served_from_the_cache(client):
    get_twice(client, "/en/")
    client.cookies["messages"] = "anything"
    assert HIT_HEADER not in client.get("/en/")


def test_head_is_answered_from_the_cache_without_a_body(client):
    first = client.get("/en/")
    response = client.head("/en/")
    assert response[HIT_HEADER] == "hit"
    assert response.content == b""
    assert response["Content-Length"] == str(len(first.content))


def test_an_event_page_shows_the_places_left_after_a_registration(client):
    event = make_event(capacity=5)
    page = event["fr"]
    _, cached = get_twice(client, page.url)
    assert cached[HIT_HEADER] == "hit"
    assert "5 places" in text_of(cached)
    response = client.post(register_url(page), form_data(), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 303
    after = client.get(page.url)
    assert after[HIT_HEADER] == "miss"
    assert "4 restantes" in text_of(after) or "4 places restantes" in text_of(after)


def test_a_cached_page_with_a_form_holds_no_csrf_token_and_its_post_is_not_cached(client):
    survey = demo_page("survey", "fr")
    _, cached = get_twice(client, survey.url)
    assert cached[HIT_HEADER] == "hit"
    html = soup(cached)
    assert html.find("input", attrs={"name": "csrfmiddlewaretoken"}) is None
    assert "csrftoken" not in cached.cookies
    refused = client.post(f"/fr/forms/{survey.pk}/", {}, HTTP_ORIGIN="http://testserver")
    assert HIT_HEADER not in refused


def test_feeds_and_calendars_are_cached_and_calendars_keep_their_browser_lifetime(client):
    # (The sitemap, outside the language prefixes, varies on Accept-Language and is
    # left to the browser's and the CDN's caches.)
    for url in ("/en/stories/feed.xml", "/nl/events/calendar.ics", "/fr/newsletter/feed.xml"):
        _, second = get_twice(client, url)
        assert second[HIT_HEADER] == "hit", url
        if url.endswith(".ics"):
            assert "max-age=300" in second["Cache-Control"]
        assert "s-maxage=600" in second["Cache-Control"]


def test_a_response_setting_a_cookie_is_not_stored(client, settings):
    # The language switcher's cookie, for instance, must never reach other visitors.
    from pagecache import middleware as page_cache

    class Response:
        status_code = 200
        streaming = False
        cookies = {"django_language": "fr"}

        def get(self, name, default=""):
            return default

    class Request:
        method = "GET"
        page_cache_public = True

    assert not page_cache._storable(Request(), Response())


def test_the_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    _, second = get_twice(client, "/en/")
    assert HIT_HEADER not in second


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="set REDIS_URL (CI does)")
def test_in_ci_the_pages_are_cached_in_redis(client):
    from django.core.cache import caches

    assert type(caches["default"]).__module__ == "django_redis.cache"
    client.get("/nl/")
    assert client.get("/nl/")[HIT_HEADER] == "hit"
