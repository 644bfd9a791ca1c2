"""Page URLs worked out from the url_path (home/page_urls.py) are Wagtail's own: for
every page, in every language, with and without a request, after a page is renamed
or moved, on one site and on two (where Wagtail gives full URLs to the other site's
pages), under a script prefix; and a page type with URLs of its own is asked for them."""

from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from wagtail.models import Page, Site

from home.models import CountryPage, StandardPage
from home.page_urls import WagtailUrlsMixin, full_url, full_url_for, page_url, url_for

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "fr", "nl")


def site_pages():
    return [page for page in Page.objects.all().specific() if isinstance(page, WagtailUrlsMixin)]


def request_to(host="127.0.0.1", port=8000):
    return RequestFactory().get("/", SERVER_NAME=host, SERVER_PORT=str(port))


def wagtail_s(page, request=None):
    return Page.get_url_parts(page, request)


def assert_as_wagtail(page, request=None):
    for _ in range(2):  # worked out, then remembered
        assert page.get_url_parts(request) == wagtail_s(page, request), page.url_path
    if request is not None:
        assert page.get_url(request) == Page.get_url(page, request)


@pytest.mark.parametrize("active", LANGUAGES)
def test_every_page_in_every_language_has_wagtail_s_url(active):
    pages = site_pages()
    assert len({type(page) for page in pages}) > 10
    with translation.override(active):
        for page in pages:
            assert_as_wagtail(page)
            assert_as_wagtail(page, request_to())


def test_a_renamed_or_moved_page_has_its_new_url_at_once():
    page = CountryPage.objects.get(locale__language_code="fr", country="RW")
    before = page.get_url_parts()
    page.slug = "rwanda-renomme"
    page.save()
    page.refresh_from_db()
    assert page.get_url_parts() != before
    assert_as_wagtail(page)
    page.move(StandardPage.objects.filter(locale=page.locale).first(), pos="last-child")
    page.refresh_from_db()
    assert_as_wagtail(page)


def test_a_page_on_two_sites_is_left_to_wagtail():
    """A section that is also the root of a second site: its pages belong to both,
    and their URL depends on the site the request is for."""
    country = CountryPage.objects.get(locale__language_code="en", country="RW")
    Site.objects.create(hostname="countries.example.org", port=80, root_page=country.get_parent())
    Site.clear_site_root_paths_cache()
    for request in (request_to(), request_to("countries.example.org", 80), None):
        assert_as_wagtail(country, request)
        assert_as_wagtail(country.get_parent().specific, request)


def test_under_a_script_prefix_urls_have_it():
    page = CountryPage.objects.get(locale__language_code="nl", country="RW")
    unprefixed = page.get_url_parts()
    prefix = get_script_prefix()
    set_script_prefix("/site/")
    try:
        assert page.get_url_parts()[2] == f"/site{unprefixed[2]}"
        assert_as_wagtail(page)
    finally:
        set_script_prefix(prefix)
    assert page.get_url_parts() == unprefixed


def _assert_wagtails(pages, host):
    with mock.patch.object(WagtailUrlsMixin, "get_url_parts", Page.get_url_parts):
        expected = _wagtails_answers(pages, host)
    for (language, request_given, index), (url, full) in expected.items():
        with translation.override(language):
            request = RequestFactory().get("/", HTTP_HOST=host) if request_given else None
            page = pages[index]
            assert page_url(page.url_path, request) == url, (page.url_path, request)
            assert url_for(page, request) == url
            assert page.get_url(request=request) == url
            assert full_url(page.url_path, request) == full
            assert full_url_for(page, request) == full


def _wagtails_answers(pages, host):
    answers = {}
    for language in ("en", "fr", "nl"):
        with translation.override(language):
            for request_given in (False, True):
                request = RequestFactory().get("/", HTTP_HOST=host) if request_given else None
                for index, page in enumerate(pages):
                    answers[language, request_given, index] = (
                        page.get_url(request=request),
                        page.get_full_url(request=request),
                    )
    return answers


def test_every_page_url_is_wagtails():
    pages = list(Page.objects.all().specific())
    assert len(pages) > 100
    _assert_wagtails(pages, "localhost")


def test_with_two_sites_the_other_sites_pages_have_full_urls():
    stories = Page.objects.get(url_path="/home/stories/")
    Site.objects.create(hostname="stories.example", port=443, root_page=stories)
    pages = list(Page.objects.all().specific())
    for host in ("stories.example", "localhost"):
        _assert_wagtails(pages, host)
    # The comparison is about something: both kinds of answer occur.
    request = RequestFactory().get("/", HTTP_HOST="stories.example")
    assert page_url("/home/stories/", request) == "/en/"
    assert page_url("/home/about/", request).startswith("http://")


def test_a_page_type_with_urls_of_its_own_is_asked(monkeypatch):
    page = StandardPage.objects.get(url_path="/home/about/")
    monkeypatch.setattr(
        StandardPage, "get_url_parts", lambda self, request=None: (1, "https://x", "/own/")
    )
    assert url_for(page) == page.get_url() == "/own/"
    assert full_url_for(page) == "https://x/own/"
