"""Upgrading a site built by the previous release keeps every row, every group's
permissions and every page as it was.

The previous release (BASE_COMMIT, read from this repository's history) builds the
demo site in a database of its own, SQLite in the suite's SQLite pass and PostgreSQL in
its PostgreSQL pass; then this release migrates that same database. Both sides are
snapshotted by tests/upgrade/snapshot.py: row counts of every table, every group's
permissions (by permission row), and the HTML of every live page in every language.
Nothing may differ, but for the migrations table, the white space of the HTML and the
changes this release makes on purpose (INTENDED_CHANGES, NEW_PICTURES, and the
header's tools and the home page rebuilt by issue 18, compared as
tests/upgrade/normalise.py says: the header in one canonical form, the home page by
what must survive of it).
"""

import difflib
import json
import re
import uuid
from pathlib import Path

import pytest
from django.test.html import parse_html

from tests.databases import DATABASE_URL, ON_POSTGRES, create_database, drop_database
from tests.upgrade.normalise import HOME_URL, canonical_header, home_lost, without_main
from tests.upgrade.releases import BASE_COMMIT, ROOT, Release, extract, is_available

SNAPSHOT = Path(__file__).with_name("snapshot.py")
#: The tables this release adds, one model each (a release that adds one says so here).
NEW_TABLES = {
    "events_calendarentry",
    "health_workerheartbeat",
    "newsletter_subscriptionrequest",
    "discussion_author",
    "discussion_contribution",
    "discussion_discussion",
    "discussion_report",
    # django-otp's devices (two-factor sign-in, twofactor/): no group is given them.
    "otp_static_staticdevice",
    "otp_static_statictoken",
    "otp_totp_totpdevice",
    # Page views per day (pagecache/views_count.py): counted from now on.
    "pagecache_pageviews",
}
#: Permissions this release adds beyond Django's four per new model, and the groups
#: its migrations give new permissions to (discussion/migrations/0002: moderating).
NEW_CUSTOM_PERMISSIONS = 1
GRANTED = {
    "Editors": {
        "view_contribution",
        "change_contribution",
        "delete_contribution",
        "moderate_contribution",
    },
    "Moderators": {
        "view_contribution",
        "change_contribution",
        "delete_contribution",
        "moderate_contribution",
    },
}
#: What this release renders differently on purpose, removed before comparing: an
#: image whose alt text is the image's own (English) on a French or Dutch page is
#: now marked lang="en" (the page-level alt text that replaces it is new); the pages
#: with a discussion show it (discussion/, new).
INTENDED_CHANGES = [
    (re.compile(r'(<img\b[^>]*?) lang="en"'), r"\1"),
    (re.compile(r'<section class="discussion\b[^"]*" id="discussion".*?</section>', re.S), ""),
    # Identity (issue 18): the head's icons, manifest, theme colour and print
    # stylesheet, the header's mark, and a card's panel where it has no picture.
    (
        re.compile(
            r'<(?:link rel="(?:icon|apple-touch-icon|manifest)"'
            r'|link rel="stylesheet" href="[^"]*print\.css"|meta name="theme-color")[^>]*>'
        ),
        "",
    ),
    (re.compile(r'<svg class="brand__mark".*?</svg>', re.S), ""),
    (re.compile(r'<div class="card__panel[^"]*" aria-hidden="true">.*?</div>', re.S), ""),
    (re.compile(r'class="card card--text"'), 'class="card"'),
    # Issues, stories and calls end with share links (issue 18).
    (re.compile(r'<section class="share".*?share\.js[^>]*></script>', re.S), ""),
]


def _alt_only(match):
    alt = re.search(r'\balt="[^"]*"', match.group(0))
    return f"<img {alt.group(0) if alt else ''} data-picture>"


#: Pictures that became responsive (issue 18: the issue's spotlights, partner logos):
#: on both sides, a picture or image there is reduced to its alt text, the rest (its
#: renditions' addresses and sizes) differing on purpose.
NEW_PICTURES = re.compile(
    r'(?:<picture>(?:(?!</picture>).)*?<img\b[^>]*class="partner__logo"[^>]*></picture>'
    r'|<img\b[^>]*class="partner__logo"[^>]*>'
    r'|(?<=<figure class="spotlight__image">)(?:<picture>.*?</picture>|<img\b[^>]*>))',
    re.S,
)

NO_BREAK_SPACES = re.compile("[ \u00a0\u202f]+")

pytestmark = [pytest.mark.subprocess]


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory):
    if not is_available(BASE_COMMIT):
        pytest.skip(f"the previous release ({BASE_COMMIT[:10]}) is not in this clone's history")
    return extract(BASE_COMMIT, tmp_path_factory.mktemp("previous-release"))


@pytest.fixture
def database(tmp_path):
    """A database for the upgraded site: a file on SQLite, a fresh database on the
    PostgreSQL server of DATABASE_URL."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    url = create_database(DATABASE_URL, name)
    try:
        yield url
    finally:
        drop_database(DATABASE_URL, name)


def snapshot(release, out):
    release.run(SNAPSHOT, out)
    return json.loads(out.read_text())


def _same_page(url, before, after):
    """The same status and the same HTML, as Django's assertHTMLEqual compares it:
    elements, attributes and text, not the white space of the templates. The header's
    tools and the home page, rebuilt on purpose, are compared as normalise.py says."""
    if after is None or before["status"] != after["status"]:
        return False
    html = after["html"]
    for pattern, replacement in INTENDED_CHANGES:
        html = pattern.sub(replacement, html)
    html, old = NEW_PICTURES.sub(_alt_only, html), NEW_PICTURES.sub(_alt_only, before["html"])
    # French typography's no-break spaces (issue 18) are new on both sides' text.
    old, html = (canonical_header(NO_BREAK_SPACES.sub(" ", text)) for text in (old, html))
    if HOME_URL.match(url):
        if home_lost(old, html):
            return False
        old, html = without_main(old), without_main(html)
    return old == html or parse_html(old) == parse_html(html)


def _first_difference(before, after):
    for url in before:
        if not _same_page(url, before[url], after.get(url)):
            diff = difflib.unified_diff(
                before[url]["html"].splitlines(),
                after.get(url, {"html": ""})["html"].splitlines(),
                "previous release",
                "this release",
                lineterm="",
                n=2,
            )
            # The home page is compared by what survives: say what was lost first.
            lost = home_lost(before[url]["html"], after.get(url, {"html": ""})["html"])
            lost = f"lost from the home page: {lost}\n" if HOME_URL.match(url) and lost else ""
            return url, lost + "\n".join(list(diff)[:80])
    return None, ""


def test_upgrading_keeps_every_row_permission_and_page(previous_release, database, tmp_path):
    old = Release(previous_release, tmp_path, database, extracted=True)
    old.run("manage.py", "migrate", "--no-input")
    old.run("manage.py", "load_demo", "--verbosity", "0")
    before = snapshot(old, tmp_path / "before.json")

    new = Release(ROOT, tmp_path, database)
    new.run("manage.py", "migrate", "--no-input")
    after = snapshot(new, tmp_path / "after.json")

    # The previous release rendered its pages before this one migrated: the image
    # renditions it made are in the database this release starts from.
    for tables in (before["tables_rendered"], after["tables"]):
        tables.pop("django_migrations")
    expected = dict(before["tables_rendered"])
    for table in NEW_TABLES:  # new, and empty: nothing invented
        expected[table] = 0
    # Django's four permissions and one content type for each new model.
    expected["auth_permission"] += 4 * len(NEW_TABLES) + NEW_CUSTOM_PERMISSIONS
    expected["django_content_type"] += len(NEW_TABLES)
    expected["auth_group_permissions"] += sum(len(codenames) for codenames in GRANTED.values())
    assert after["tables"] == expected
    # Every group keeps its permissions; Editors and Moderators gain GRANTED.
    for name, granted in GRANTED.items():
        model = after["groups"][name]["model"]
        assert {codename for _pk, _type, codename in model} >= granted
        after["groups"][name]["model"] = [row for row in model if row[2] not in granted]
    assert after["groups"] == before["groups"]
    # Every page of the demo, in each of the three languages.
    languages = [url.split("/")[1] for url in before["pages"]]
    assert len(languages) > 100
    assert {code: languages.count(code) for code in ("en", "fr", "nl")} == dict.fromkeys(
        ("en", "fr", "nl"), len(languages) // 3
    )
    assert [(url, page["status"]) for url, page in after["pages"].items()] == [
        (url, page["status"]) for url, page in before["pages"].items()
    ]
    url, diff = _first_difference(before["pages"], after["pages"])
    assert url is None, f"{url} changed:\n{diff}"

    # This release's demo builder recognises everything the previous one made, and adds
    # only the accessibility statement (issue 18), linked from the untouched footer, in
    # three languages (its French and Dutch slugs redirect from the aliases' addresses).
    added = "created 1 footer links, 1 pages, 2 redirects, 2 translations"
    assert added in new.run("manage.py", "load_demo")
    assert "nothing to create" in new.run("manage.py", "load_demo")
