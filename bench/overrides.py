"""What the site's replacements of Wagtail's own code save, page by page.

    .venv/bin/python bench/overrides.py        (part of `make bench`)

Three pieces of Wagtail are replaced to save queries (docs/architecture.md):
`HomePage.route` (a page found in two queries at any depth), the view restrictions
of a page (`ViewRestrictionsMixin.get_view_restrictions`, one query) and `public()`
(the private sections checked inside the listing's query). For each, the demo's
pages are rendered uncached with the site's version and with Wagtail's own, taking
turns request by request in one process, so that the machine's other work weighs
on both alike: queries, median CPU time per render and their ratio (site ÷ Wagtail).
tests/home/test_wagtail_overrides.py checks that both give the same answers.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
PAGES = {
    "home": "",
    "country index": "countries/",
    "country": "countries/rwanda/",
    "story index": "stories/",
    "story": "stories/women-diaspora-4dev-academy-interviews/",
    "event index": "events/",
    "event": "events/rwanda-diaspora-info-session/",
    "newsletter issue": "newsletter/issue-1/",
    "survey": "survey/",
}
LANGUAGES = ("en", "fr")


def wagtails_own():
    """{override: context manager putting Wagtail's own code back for its duration}."""
    from wagtail.models import Page
    from wagtail.query import PageQuerySet

    import discovery.search
    import events.models.index
    import home.models.base
    import home.models.pages
    from home.models import HomePage
    from home.models.base import BasePageQuerySet, ViewRestrictionsMixin

    def swapped(replacements):
        @contextmanager
        def manager():
            saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in replacements]
            for owner, name, value in replacements:
                setattr(owner, name, value)
            try:
                yield
            finally:
                for owner, name, value in saved:
                    setattr(owner, name, value)

        return manager

    def wagtail_public(queryset):
        return PageQuerySet.public(queryset)

    public_users = (home.models.base, home.models.pages, discovery.search, events.models.index)
    return {
        "HomePage.route": swapped([(HomePage, "route", Page.route)]),
        "get_view_restrictions": swapped(
            [(ViewRestrictionsMixin, "get_view_restrictions", Page.get_view_restrictions)]
        ),
        "public()": swapped(
            [(BasePageQuerySet, "public", PageQuerySet.public)]
            + [(module, "public", wagtail_public) for module in public_users]
        ),
    }


def render(client, url, queries):
    from django.db import connection

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    start = time.process_time()
    with connection.execute_wrapper(count):
        response = client.get(url)
    elapsed = (time.process_time() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def compare(client, url, wagtail):
    """(queries, median ms) with the site's code and with Wagtail's, in turns."""
    ours, theirs = [], []
    ours_queries, theirs_queries = [], []
    for _ in range(RUNS):
        queries = []
        ours.append(render(client, url, queries))
        ours_queries.append(len(queries))
        with wagtail():
            queries = []
            theirs.append(render(client, url, queries))
            theirs_queries.append(len(queries))
    return (
        (max(ours_queries), statistics.median(ours)),
        (max(theirs_queries), statistics.median(theirs)),
    )


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client, override_settings

    client = Client()
    print(
        f"Wagtail's own code against the site's, uncached, {RUNS} renders each in turns "
        "(CPU ms; ratio = site ÷ Wagtail)"
    )
    print(f"{'replaced':<22} {'page':<18} {'queries':>12} {'median ms':>17} {'ratio':>6}")
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, wagtail in wagtails_own().items():
            for page, path in PAGES.items():
                for language in LANGUAGES:
                    url = f"/{language}/{path}"
                    client.get(url)  # warm Wagtail's own caches
                    (q_ours, ms_ours), (q_theirs, ms_theirs) = compare(client, url, wagtail)
                    print(
                        f"{name:<22} {page + ' ' + language:<18} {q_ours:>5} vs {q_theirs:<4} "
                        f"{ms_ours:>7.1f} vs {ms_theirs:<6.1f} {ms_ours / ms_theirs:>6.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
