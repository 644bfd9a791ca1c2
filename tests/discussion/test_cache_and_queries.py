"""The discussion is part of the cached page: the same HTML for everyone, emptied
(the three language versions, nothing else) when a moderator acts, and paginated in
a fixed number of queries however long it grows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussion import moderation
from discussion.caching import recount
from discussion.models import Author, Contribution, Discussion
from discussion.rendering import PER_PAGE
from pagecache import cdn
from pagecache.middleware import HIT_HEADER
from tests.discussion.helpers import post, published, story
from tests.helpers import demo_page, soup

pytestmark = pytest.mark.django_db
State = Contribution.State
ISSUE = "newsletter/issue-1"
MAX_QUERIES = 15


def add_contributions(page, count, start=0):
    """`count` published contributions (every fifth with a published reply)."""
    discussion, _created = Discussion.objects.get_or_create(translation_key=page.translation_key)
    now = timezone.now()
    rows = [
        Contribution(
            discussion=discussion,
            page=page,
            name=f"Reader {n}",
            text=f"Contribution number {n}",
            language=("en", "fr", "nl")[n % 3],
            state=State.APPROVED,
            created_at=now - timezone.timedelta(minutes=n),
        )
        for n in range(start, start + count)
    ]
    Contribution.objects.bulk_create(rows)
    replies = [
        Contribution(
            discussion=discussion,
            page=page,
            parent=row,
            name="Replier",
            text=f"Reply to {row.name}",
            language="fr",
            state=State.APPROVED,
        )
        for row in Contribution.objects.filter(discussion=discussion, parent=None)[start:][::5]
    ]
    Contribution.objects.bulk_create(replies)
    recount([discussion.pk])
    return discussion


def queries_of(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("english", [ISSUE, "stories/mission-to-niger-and-tahoua-job-fair"])
def test_a_long_discussion_costs_the_same_few_queries(client, settings, english):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    page = demo_page(english, "fr")
    add_contributions(page, 50)
    urls = [page.url, page.url + "?discussion-page=2", page.url + "?in-my-language=1"]
    before = [queries_of(client, url)[0] for url in urls]
    add_contributions(page, 450, start=50)
    after = [queries_of(client, url) for url in urls]
    assert [count for count, _response in after] == before
    print(english, before)
    assert max(before) <= MAX_QUERIES, before
    html = soup(after[0][1])
    assert len(html.select(".discussion__thread")) == PER_PAGE
    assert "Page 1 sur 25" in html.select_one("#discussion .pagination").get_text(" ")
    mine = soup(after[2][1]).select("#discussion article[lang]")
    assert mine and {article["lang"] for article in mine} == {"fr"}


def test_the_cached_html_holds_nothing_per_visitor_even_with_a_reply_form_open(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    contribution = published(client, story("fr"))
    client.cookies.clear()
    url = story("nl").url + f"?reply={contribution.pk}"
    first = client.get(url)
    second = client.get(url)
    assert second[HIT_HEADER] == "hit"
    html = soup(second)
    form = html.select_one("#discussion form")
    assert form.select_one("input[name=parent]")["value"] == str(contribution.pk)
    assert html.select_one("#reply-form").get_text(strip=True)
    body = second.content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert "nonce" not in body
    assert "awa@example.org" not in body
    assert not re.search(r'name="(timestamp|security_hash)"', body)
    assert first.content == second.content


def test_approving_empties_the_three_language_versions_of_that_page_only(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    published(client, story("fr"))
    client.cookies.clear()
    other = demo_page("stories", "en").url
    pages = [story(code).url for code in ("en", "fr", "nl")]
    for url in [*pages, other]:
        client.get(url)
        assert client.get(url)[HIT_HEADER] == "hit"

    post(client, story("en"), code="en", text="A second thought, in English.", language="en")
    client.cookies.clear()
    for url in pages:  # a post waiting for moderation changes no page
        assert client.get(url)[HIT_HEADER] == "hit"

    waiting = Contribution.objects.get(state=State.PENDING)
    moderation.moderate([waiting], "approve", None)
    for url in pages:
        response = client.get(url)
        assert response[HIT_HEADER] == "miss", url
        assert "A second thought, in English." in response.content.decode()
    assert client.get(other)[HIT_HEADER] == "hit"


def test_a_bulk_action_over_several_pages_purges_once(
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
        def enqueue(self, *keys):
            queued.append(keys)

    monkeypatch.setattr(cdn, "purge_translation", Recorder())
    monkeypatch.setattr(cdn, "purge_site", Recorder())
    story_page, issue = story("fr"), demo_page(ISSUE, "nl")
    Author.objects.create(email="awa@example.org", language="fr", confirmed_at=timezone.now())
    for page, text in ((story_page, "Sur l'histoire"), (issue, "Over de nieuwsbrief")):
        post(client, page, code=page.locale.language_code, text=text)
    waiting = list(Contribution.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(waiting, "approve", None)
    [keys] = queued  # one purge, of both pages (in every language)
    assert sorted(keys) == sorted([str(story_page.translation_key), str(issue.translation_key)])
