"""Wagtail's page view, with the site and the route found in compiled queries.

Before serving a page Wagtail finds the request's site (one query, whose filter
costs Django more to build than the database to answer), the home page in the
active language (the locale, the translation, then its specific row) and the page
along the path (HomePage.route: the pages on the path, then the last one's specific
row). Here the site comes from the same query compiled once, and the localized
home page comes with the pages on the path: its url_path is one of the site root
paths Wagtail keeps in the cache, checked against the row itself. Wagtail's view
then runs as it is (hooks, view restrictions, serve) on the route found, which
Wagtail keeps on the request. Anything out of the ordinary (no translation of the
home page in the language, an unpublished one, a page with routing of its own, a
path that leads nowhere) is left to Wagtail, which answers as before.
tests/home/test_serving.py compares the routes with Wagtail's.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, IntegerField, Q, When
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from home.compiled_queries import CompiledQuery
from home.models import HomePage
from home.page_urls import root_paths

SITES = CompiledQuery(
    lambda hostname, port: (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
    )
)


def find_site(request):
    """`Site.find_for_request(request)`, kept on the request where Wagtail keeps it."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            port = int(request.get_port())
        except ValueError:
            return Site.find_for_request(request)
        request._wagtail_site = _site_for_hostname(hostname, port)
    return request._wagtail_site


def _site_for_hostname(hostname, port):
    """wagtail.models.sites.get_site_for_hostname, or None where it raises."""
    sites = SITES(hostname=hostname, port=port)
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            return sites[0]
        if sites[0].match == MATCH_DEFAULT:
            return sites[len(sites) == 2]
    return None


# The site's root page, the pages at the paths of the localized home page and of
# the pages below it, with their locales, from the top.
CHAIN = CompiledQuery(
    lambda root, url_paths: (
        Page.objects.filter(Q(pk=root) | Q(url_path__in=url_paths))
        .select_related("locale")
        .order_by("depth", "path")
    )
)
_SPECIFIC = {}


def _specific(model, pk):
    """The page `pk` as a `model`, with what every page shows (its locale and
    listing image), as HomePage.route fetches it; None if it has gone."""
    query = _SPECIFIC.get(model)
    if query is None:
        related = [name for name in ("locale", "listing_image") if _has_field(model, name)]
        query = _SPECIFIC[model] = CompiledQuery(
            lambda pk: model._default_manager.select_related(*related).filter(pk=pk)
        )
    found = query(pk=pk)
    return found[0] if found else None


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _localized_home(rows, site, root_path, language):
    """Wagtail's `site.root_page.localized` among `rows`, when it is the root page
    or its live translation at `root_path`; else None (left to Wagtail)."""
    root = next((page for page in rows if page.pk == site.root_page_id), None)
    if root is None:
        return None
    for page in rows:
        if (
            page.url_path == root_path
            and page.translation_key == root.translation_key
            and page.locale.language_code == language
        ):
            return page if page.pk == root.pk or page.live else None
    return None


def _route(request, site, path):
    """Wagtail's route for `path` on `site`: a RouteResult, False where Wagtail finds
    no page, or None to leave it to Wagtail."""
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None
    root_path = next(
        (
            srp.root_path
            for srp in root_paths(request)
            if srp.site_id == site.pk and srp.language_code == language
        ),
        None,
    )
    if root_path is None:
        return None
    components = [component for component in path.split("/") if component]
    url_paths = [root_path] + [
        f"{root_path}{'/'.join(components[:depth])}/" for depth in range(1, len(components) + 1)
    ]
    rows = CHAIN(root=site.root_page_id, url_paths=url_paths)
    home = _localized_home(rows, site, root_path, language)
    if home is None:
        return None
    below = url_paths[1:]
    chain = [
        page
        for page in rows
        if page.depth > home.depth and page.path.startswith(home.path) and page.url_path in below
    ]
    if [page.url_path for page in chain] != below:
        return None
    models = [page.specific_class for page in (home, *chain)]
    if any(model is None or model.route not in (Page.route, HomePage.route) for model in models):
        return None
    parent = home
    for page in chain:
        page._cached_parent_obj = parent
        parent = page
    last = chain[-1] if chain else home
    page = _specific(models[-1], last.pk)
    if page is None:
        return None
    if chain:
        page._cached_parent_obj = last._cached_parent_obj
    try:
        return page.route(request, [])
    except Http404:
        return False


def route_for_request(request, path):
    """`Page.route_for_request(request, path)`: the same answer, kept on the request
    where Wagtail keeps it, found here where it can be."""
    if not hasattr(request, "_wagtail_route_for_request"):
        site = find_site(request)
        route = _route(request, site, path) if site is not None else None
        if route is not None:
            request._wagtail_route_for_request = route or None
    return Page.route_for_request(request, path)


def serve(request, path):
    """Wagtail's `serve` view, the route found first."""
    route_for_request(request, path)
    return views.serve(request, path)
