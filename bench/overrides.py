"""What the site's replacements of Wagtail's own code save, page by page.

    .venv/bin/python bench/overrides.py        (part of `make bench`)

Five pieces of Wagtail are replaced to save queries (docs/architecture.md):
`HomePage.route` (a page found in two queries at any depth), the view restrictions
of a page (`ViewRestrictionsMixin.get_view_restrictions`, one query), `public()`
(the private sections checked inside the listing's query), `.specific()` for search
results (every type's own fields in the search's query) and the lazy conversion of
the newsletter issue's body (every chosen object fetched once per model); two to save
time: the image model's rendition lookups (home/wagtail_rendition_cache.py, with a
rendition cache of Wagtail's own while Wagtail's code runs, so that each side reads
what it wrote) and `{% picture %}` (home/templatetags/image_tags.py). For each, the
demo's pages (those it concerns, for search and the issue) are rendered uncached with
the site's version and with Wagtail's own, taking
turns request by request in one process, so that the machine's other work weighs
on both alike: queries, median CPU and wall time per render (a query's round trip to
PostgreSQL is waiting, not CPU) and their ratios (site ÷ Wagtail). DATABASE_URL
points it at another database holding the demo (migrate and load_demo there first).
tests/home/test_wagtail_overrides.py and tests/home/test_wagtail_overrides_specific.py
check that both give the same answers.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from demo_pages import PAGES, address  # noqa: E402 (bench/ is on the path when run)

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
LANGUAGES = ("en", "fr")
# The pages an override concerns, when not all of them.
CONCERNS = {"specific() in search": ("search",), "StreamField at once": ("newsletter issue",)}


def wagtails_own():
    """{override: context manager putting Wagtail's own code back for its duration}."""
    from django.core.cache.backends.locmem import LocMemCache
    from django.db.models import Model
    from wagtail.images.models import AbstractImage
    from wagtail.images.templatetags.wagtailimages_tags import PictureNode
    from wagtail.models import Page
    from wagtail.query import PageQuerySet

    import discovery.search
    import events.models.index
    import home.models.base
    import home.models.pages
    import home.templatetags.image_tags
    from home.models import CustomRendition, HomePage
    from home.models.base import BasePageQuerySet, StreamBodyMixin, ViewRestrictionsMixin, public
    from home.models.translation_state import written_in_own_language
    from home.wagtail_rendition_cache import RenditionCacheMixin, SlimPickleMixin
    from newsletter.models import NewsletterIssuePage

    def swapped(replacements):
        @contextmanager
        def manager():
            saved = [(owner, name, owner.__dict__.get(name)) for owner, name, _ in replacements]
            for owner, name, value in replacements:
                setattr(owner, name, value)
            try:
                yield
            finally:
                for owner, name, value in saved:
                    if value is None:
                        delattr(owner, name)
                    else:
                        setattr(owner, name, value)

        return manager

    def wagtail_public(queryset):
        return PageQuerySet.public(queryset)

    def wagtails_search_pages(query, locale):
        words = discovery.search.WORDS.findall(query)
        if not words:
            return Page.objects.none()
        written_here = public(written_in_own_language(Page.objects.filter(locale=locale)))
        pages = Page.objects.live().filter(locale=locale, pk__in=written_here.values("pk"))
        return pages.specific().search(" ".join(words), operator="and")

    public_users = (home.models.base, home.models.pages, discovery.search, events.models.index)
    lookups = (
        "get_rendition",
        "get_renditions",
        "find_existing_renditions",
        "clean_filter_for_svg",
    )
    wagtails_renditions = LocMemCache("wagtail-renditions", {})
    picture = home.templatetags.image_tags.PictureNode
    return {
        "HomePage.route": swapped([(HomePage, "route", Page.route)]),
        "get_view_restrictions": swapped(
            [(ViewRestrictionsMixin, "get_view_restrictions", Page.get_view_restrictions)]
        ),
        "public()": swapped(
            [(BasePageQuerySet, "public", PageQuerySet.public)]
            + [(module, "public", wagtail_public) for module in public_users]
        ),
        "renditions": swapped(
            [(RenditionCacheMixin, name, getattr(AbstractImage, name)) for name in lookups]
            + [
                (SlimPickleMixin, "__getstate__", Model.__getstate__),
                (CustomRendition, "cache_backend", wagtails_renditions),
            ]
        ),
        "{% picture %}": swapped(
            [
                (picture, "render", PictureNode.render),
                (picture, "get_filters", PictureNode.get_filters),
            ]
        ),
        # Search as it was: `.specific()` on the pages searched.
        "specific() in search": swapped(
            [
                (discovery.search, "search_pages", wagtails_search_pages),
                (discovery.search, "specific_pages", list),
            ]
        ),
        # Wagtail's lazy conversion, then home.i18n.localize_stream.
        "StreamField at once": swapped(
            [(NewsletterIssuePage, "localize_body", StreamBodyMixin.localize_body)]
        ),
    }


def render(client, url, queries):
    from django.db import connection

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(count):
        response = client.get(url)
    elapsed = ((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def compare(client, url, wagtail):
    """(queries, median CPU ms, median wall ms) with the site's code and with
    Wagtail's, rendering in turns."""
    runs = {"ours": [], "theirs": []}
    for _ in range(RUNS):
        for side in runs:
            queries = []
            if side == "ours":
                cpu, wall = render(client, url, queries)
            else:
                with wagtail():
                    cpu, wall = render(client, url, queries)
            runs[side].append((len(queries), cpu, wall))
    return {
        side: (
            max(run[0] for run in values),
            statistics.median(run[1] for run in values),
            statistics.median(run[2] for run in values),
        )
        for side, values in runs.items()
    }


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client, override_settings

    client = Client()
    from django.db import connection

    print(
        f"The site's code against Wagtail's own ({connection.vendor}), uncached, {RUNS} "
        "renders each in turns; medians in ms; ratio = site ÷ Wagtail"
    )
    print(
        f"{'replaced':<22} {'page':<20} {'queries':>10} {'CPU':>15} {'ratio':>6} "
        f"{'wall':>15} {'ratio':>6}"
    )
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, wagtail in wagtails_own().items():
            for page, (path, _kind) in PAGES.items():
                if page not in CONCERNS.get(name, (page,)):
                    continue
                for language in LANGUAGES:
                    url = address(path, language)
                    client.get(url)  # warm the caches of both sides
                    with wagtail():
                        client.get(url)
                    found = compare(client, url, wagtail)
                    (q_ours, cpu_ours, wall_ours) = found["ours"]
                    (q_theirs, cpu_theirs, wall_theirs) = found["theirs"]
                    print(
                        f"{name:<22} {page + ' ' + language:<20} {q_ours:>3} vs {q_theirs:<3} "
                        f"{cpu_ours:>6.1f} vs {cpu_theirs:<5.1f} {cpu_ours / cpu_theirs:>6.2f} "
                        f"{wall_ours:>6.1f} vs {wall_theirs:<5.1f} {wall_ours / wall_theirs:>6.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
