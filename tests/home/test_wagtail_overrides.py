"""Where the site replaces Wagtail's own code to save queries, it gives Wagtail's
answers: routing from the home page (`HomePage.route`), the site and the route of
a request (`home.serving`), the view restrictions that apply to a page
(`ViewRestrictionsMixin.get_view_restrictions`) and the pages outside private
sections (`home.models.base.public`). Each is compared with
Wagtail's own on one tree: restricted sections (password, login, groups) and what
lies under them, aliases of restricted and unrestricted pages in another language,
an unpublished page, every depth, every page of the demo, and paths that lead
nowhere. A Wagtail upgrade that changes the semantics fails here instead of leaking
a private page. `make bench` (bench/overrides.py) shows what each saves.
"""

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from home import serving
from home.models import HomePage, StandardPage
from home.models.base import public


def _add(parent, slug, *, live=True):
    page = StandardPage(title=slug.title(), slug=slug, live=live)
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


@pytest.fixture
def tree(db, locales):
    """Under the English home page: a/b/c/d/e (b behind a password), a/draft (not
    live), f (logged-in visitors only) with f/g, h (a group only); and the French
    aliases of all of them."""
    home = HomePage.objects.get(locale=locales["en"])
    a = _add(home, "a")
    b = _add(a, "b")
    d = _add(_add(b, "c"), "d")
    _add(d, "e")
    _add(a, "draft", live=False)
    f = _add(home, "f")
    _add(f, "g")
    h = _add(home, "h")
    PageViewRestriction.objects.create(
        page=b, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    PageViewRestriction.objects.create(page=f, restriction_type=PageViewRestriction.LOGIN)
    groups = PageViewRestriction.objects.create(page=h, restriction_type=PageViewRestriction.GROUPS)
    groups.groups.add(Group.objects.get(name="Editors"))
    for page in Page.objects.descendant_of(home).filter(
        slug__in=["a", "b", "c", "d", "e", "f", "g", "h"]
    ):
        if not page.has_translation(locales["fr"]):
            page.specific.copy_for_translation(locales["fr"], copy_parents=True, alias=True)
    return home


def _wagtail_route(home, path):
    try:
        found = Page.route(home, RequestFactory().get("/"), path)
    except Http404:
        return None
    return type(found.page), found.page.pk, found.args, found.kwargs


def _our_route(home, path):
    try:
        found = home.route(RequestFactory().get("/"), path)
    except Http404:
        return None
    return type(found.page), found.page.pk, found.args, found.kwargs


def test_routing_from_the_home_page_finds_what_wagtail_finds(tree):
    paths = [["zzz"], ["a", "zzz"], ["a", "b", "c", "d", "e", "f"], ["a", "draft"], ["f", "g"]]
    for home in HomePage.objects.all():
        for page in Page.objects.descendant_of(home):
            paths.append([part for part in page.url_path[len(home.url_path) :].split("/") if part])
        for path in paths:
            assert _our_route(home, path) == _wagtail_route(home, path), (home.locale_id, path)
    # The tree holds what the comparison is about.
    assert _wagtail_route(tree, ["a", "draft"]) is None
    assert _wagtail_route(tree, ["a", "b", "c", "d", "e"])[0] is StandardPage


def test_the_view_restrictions_of_every_page_are_wagtails(tree):
    restricted = 0
    for page in Page.objects.filter(depth__gt=1).specific():
        ours = {restriction.pk for restriction in page.get_view_restrictions()}
        wagtails = {restriction.pk for restriction in Page.get_view_restrictions(page)}
        assert ours == wagtails, page.url_path
        restricted += bool(ours)
    # b, c, d, e, f, g, h and their French aliases.
    assert restricted == 14


def test_the_public_pages_are_wagtails(tree):
    everything = Page.objects.all()
    assert set(public(everything).values_list("pk", flat=True)) == set(
        everything.public().values_list("pk", flat=True)
    )
    standard = StandardPage.objects.all()
    ours = set(standard.public().values_list("pk", flat=True))
    assert ours == set(PageQuerySet.public(standard).values_list("pk", flat=True))
    assert not ours & set(
        StandardPage.objects.filter(slug__in=["b", "c", "d", "e", "f", "g", "h"]).values_list(
            "pk", flat=True
        )
    )


def _route_answer(found):
    if found is None:
        return None
    page, args, kwargs = found
    return type(page), page.pk, args, kwargs


def _routes(path, language, host="localhost"):
    """Wagtail's route for `path` and the site's (home/serving.py), each on a fresh
    request, and whether the site's came from its own queries."""
    with translation.override(language):
        wagtails = Page.route_for_request(RequestFactory().get("/", HTTP_HOST=host), path)
        request = RequestFactory().get("/", HTTP_HOST=host)
        site = serving.find_site(request)
        own = site is not None and serving._route(request, site, path) is not None
        ours = serving.route_for_request(request, path)
    return _route_answer(ours), _route_answer(wagtails), own


def test_serving_finds_the_route_wagtail_finds(tree):
    paths = {"", "zzz/", "a/zzz/", "a/b/c/d/e/f/", "a/draft/", "f/g/", "a//b/"}
    for home in HomePage.objects.all():
        for page in Page.objects.descendant_of(home, inclusive=True):
            paths.add(page.url_path[len(home.url_path) :])
    own = 0
    for language in ("en", "fr", "nl"):
        for path in sorted(paths):
            ours, wagtails, by_itself = _routes(path, language)
            assert ours == wagtails, (language, path)
            own += by_itself and wagtails is not None
    # Every page in its own language was routed by the site's own queries.
    assert own >= Page.objects.filter(depth__gt=1).count() - 1


def test_serving_leaves_an_unpublished_home_page_translation_to_wagtail(tree, locales):
    french_home = HomePage.objects.get(locale=locales["fr"])
    french_home.unpublish()
    for path in ("", "a/", "a/b/", "a-propos/", "about/"):
        ours, wagtails, by_itself = _routes(path, "fr")
        assert ours == wagtails and not by_itself, path
    assert _routes("a/", "fr")[1][1] == Page.objects.get(url_path="/home/a/").pk


def test_the_site_of_a_request_is_wagtails(db):
    default = Site.objects.get(is_default_site=True)
    stories = Page.objects.get(url_path="/home/stories/")
    Site.objects.create(hostname="stories.example", port=443, root_page=stories)
    Site.objects.create(hostname="stories.example", port=8080, root_page=stories)
    Site.objects.create(hostname="events.example", port=80, root_page=stories)
    hosts = [
        "stories.example",
        "stories.example:8080",
        "stories.example:443",
        "stories.example:9",
        "events.example",
        "events.example:81",
        "elsewhere.example",
        f"{default.hostname}:{default.port}",
    ]
    for host in hosts:
        mine = serving.find_site(RequestFactory().get("/", HTTP_HOST=host))
        wagtails = Site.find_for_request(RequestFactory().get("/", HTTP_HOST=host))
        assert mine == wagtails, host
    Site.objects.all().update(is_default_site=False)
    for host in hosts:
        assert serving.find_site(
            RequestFactory().get("/", HTTP_HOST=host)
        ) == Site.find_for_request(RequestFactory().get("/", HTTP_HOST=host))
    assert serving.find_site(RequestFactory().get("/", HTTP_HOST="elsewhere.example")) is None
