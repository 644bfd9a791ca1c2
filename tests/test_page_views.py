"""Page views counted by the page cache (pagecache/views_count.py): rendered and
cached answers, through the middleware and the WSGI early answer; robots, HEAD,
prefetches and editors left out; no cookie and nothing about the visitor stored;
Redis away; flushes at once never counting a view twice (SQLite and PostgreSQL)."""

import io
import os
import threading

import pytest
from django.core.cache import cache
from django.test import Client

from diaspora_site.cache_backend import redis_cache
from newsletter.models import NewsletterIssuePage
from pagecache import views_count
from pagecache.middleware import HIT_HEADER, CachedPagesApp
from pagecache.models import PageViews

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture(autouse=True)
def empty_tally(monkeypatch):
    monkeypatch.setattr(views_count, "PUSH_SECONDS", 3600)  # pushed when the test says
    views_count._tally.take()
    yield
    views_count._tally.take()


def issue(language):
    return NewsletterIssuePage.objects.get(locale__language_code=language, number=1)


def stored():
    return {(row.page_id, row.views) for row in PageViews.objects.all()}


def browse(client, url, **extra):
    return client.get(url, HTTP_USER_AGENT=BROWSER, **extra)


@pytest.mark.django_db
def test_rendered_and_cached_views_of_an_issue_are_counted_in_each_language(client):
    for language in ("en", "fr", "nl"):
        url = issue(language).url
        first, second = browse(client, url), browse(client, url)
        assert (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit")
        # No cookie, no pixel, no redirect: the page is the same bytes as ever.
        assert not first.cookies and not second.cookies
        assert "Set-Cookie" not in second
    assert views_count.flush() == 6
    assert stored() == {(issue(code).pk, 2) for code in ("en", "fr", "nl")}
    # What is stored: a page id, a day and a number, nothing about the visitor.
    columns = {field.column for field in PageViews._meta.concrete_fields}
    assert columns == {"id", "page_id", "day", "views"}
    assert BROWSER not in str(list(PageViews.objects.values()))


@pytest.mark.django_db
def test_the_wsgi_early_answer_counts_its_hits(client):
    url = issue("fr").url
    assert browse(client, url)[HIT_HEADER] == "miss"
    app = CachedPagesApp(lambda environ, start: pytest.fail("not answered from the cache"))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": BROWSER,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    for _ in range(3):
        app(environ, lambda status, headers: None)
    assert views_count.flush() == 4
    assert stored() == {(issue("fr").pk, 4)}


@pytest.mark.django_db
def test_robots_head_prefetch_and_signed_in_editors_are_not_counted(editor_client):
    client = Client()
    url = issue("nl").url
    browse(client, url)  # stored in the cache: the others are hits
    for agent in ("Googlebot/2.1", "Mozilla/5.0 (compatible; bingbot/2.0)", "curl/8.5", ""):
        client.get(url, HTTP_USER_AGENT=agent)
    client.head(url, HTTP_USER_AGENT=BROWSER)
    browse(client, url, HTTP_SEC_PURPOSE="prefetch")
    browse(client, url, HTTP_PURPOSE="prefetch")
    browse(editor_client, url)
    browse(client, "/nl/no-such-page/")
    assert views_count.flush() == 1
    assert stored() == {(issue("nl").pk, 1)}


@pytest.mark.django_db
def test_counts_wait_in_the_cache_until_a_flush_moves_them(client, settings):
    url = issue("en").url
    for _ in range(5):
        browse(client, url)
    assert views_count.push() == 0
    assert not PageViews.objects.exists()
    assert views_count.flush() == 5
    assert views_count.flush() == 0  # taken: not written twice
    browse(client, url)
    assert views_count.flush() == 1
    assert stored() == {(issue("en").pk, 6)}


@pytest.mark.django_db
def test_two_flushes_at_once_never_count_a_view_twice(client, monkeypatch):
    """The second flush runs between the first one's reading and its taking."""
    url = issue("fr").url
    for _ in range(7):
        browse(client, url)
    views_count.push()
    real_get_many = cache.get_many
    nested = []

    def get_many(keys):
        found = real_get_many(keys)
        if not nested:
            nested.append(None)
            nested[0] = views_count.flush()
        return found

    monkeypatch.setattr(views_count.cache, "get_many", get_many)
    first = views_count.flush()
    assert nested[0] + first == 7
    assert stored() == {(issue("fr").pk, 7)}


@pytest.mark.django_db
def test_with_redis_away_pages_are_served_and_views_not_counted(client, settings, caplog):
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:1/0", timeout=0.2)}
    url = issue("fr").url
    for _ in range(3):
        response = browse(client, url)
        assert response.status_code == 200
        assert issue("fr").title in response.content.decode()
    assert views_count.push() == 3  # dropped
    assert views_count.flush() == 0
    assert not PageViews.objects.exists()


def _flush_in_threads(count_view, page_ids, threads=4, views_each=25):
    errors = []

    def work():
        from django.db import connection

        try:
            for _ in range(views_each):
                count_view()
                views_count.push()
                views_count.flush(page_ids)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    views_count.flush(page_ids)
    return threads * views_each


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="set DATABASE_URL"
)
def test_flushes_in_parallel_on_postgresql_count_each_view_once():
    # A transactional test starts from an empty database (no demo pages): the views
    # are counted as the serving paths count them, for a page id of its own, and
    # flushed by id as the mailing's page does.
    page_id = 4242
    meta = {"REQUEST_METHOD": "GET", "HTTP_USER_AGENT": BROWSER}
    total = _flush_in_threads(lambda: views_count.count(page_id, meta, 200, "text/html"), [page_id])
    assert stored() == {(page_id, total)}


def test_the_counting_decision_reads_no_more_than_it_needs():
    meta = {"REQUEST_METHOD": "GET", "HTTP_USER_AGENT": BROWSER}
    assert views_count.counts_as_view(meta, 200, "text/html; charset=utf-8")
    assert not views_count.counts_as_view(meta, 200, "application/rss+xml")
    assert not views_count.counts_as_view(meta, 304, "text/html")
    assert not views_count.counts_as_view({**meta, "HTTP_COOKIE": "sessionid=x"}, 200, "text/html")
    assert views_count.counts_as_view({**meta, "HTTP_COOKIE": "csrftoken=x"}, 200, "text/html")
