"""Page URLs worked out from the url_path are Wagtail's own, for every page of the
demo in every language, with and without a request, on one site and on two (where
Wagtail gives full URLs to the other site's pages), and a page type with URLs of
its own is asked for them (home/page_urls.py)."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from home.models import StandardPage
from home.page_urls import full_url, full_url_for, page_url, url_for

pytestmark = pytest.mark.django_db


def _assert_wagtails(pages, host):
    for language in ("en", "fr", "nl"):
        with translation.override(language):
            for request in (None, RequestFactory().get("/", HTTP_HOST=host)):
                for page in pages:
                    expected = page.get_url(request=request)
                    assert page_url(page.url_path, request) == expected, (page.url_path, request)
                    assert url_for(page, request) == expected
                    expected = page.get_full_url(request=request)
                    assert full_url(page.url_path, request) == expected
                    assert full_url_for(page, request) == expected


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
