"""Contributions arriving together on PostgreSQL: the first posts under a page create
its one discussion row, one address posting twice at once gets one author row and one
confirmation email, and a moderator approving while readers post loses nothing.

As in tests/events/test_registration_concurrency.py, the threads commit for real (the
test's own transaction would hide their writes), and what they made is deleted at
the end.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.test import Client

from discussion import moderation
from discussion.models import Author, Contribution, Discussion
from tests.databases import ON_POSTGRES, in_thread
from tests.discussion.helpers import SAME_ORIGIN, contribution_data, post_url, story

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL pointing at PostgreSQL"),
]

POSTS = 24


def test_posts_at_once_share_one_discussion_and_one_author_per_address():
    pages = {code: story(code) for code in ("en", "fr", "nl")}
    key = pages["en"].translation_key

    def send(n):
        code = ("en", "fr", "nl")[n % 3]
        # Four addresses, each posting several times at once (under the per-address limit).
        data = contribution_data(email=f"together{n % 4}@example.org", text=f"Together {n}")
        reader = Client(REMOTE_ADDR=f"10.0.{n}.1")  # the per-network-address limit aside
        response = reader.post(post_url(pages[code], code), data, **SAME_ORIGIN)
        return response.status_code

    try:
        with ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(in_thread(send), range(POSTS)))
        assert codes.count(303) == 20  # 5 per address an hour, then 429
        assert set(codes) == {303, 429}
        assert Discussion.objects.filter(translation_key=key).count() == 1
        assert Author.objects.filter(email__startswith="together").count() == 4
        assert Contribution.objects.filter(text__startswith="Together").count() == 20
        # One confirmation email per address, whatever the number of posts.
        assert sorted(m.to[0] for m in mail.outbox) == [
            f"together{n}@example.org" for n in range(4)
        ]

        # Approving while more arrive: every approval and every new post is kept.
        def confirm_all():
            Author.objects.filter(email__startswith="together").update(
                confirmed_at="2026-12-01T00:00Z"
            )
            Contribution.objects.filter(text__startswith="Together").update(state="pending")
            return list(Contribution.objects.filter(text__startswith="Together"))

        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(in_thread(confirm_all)).result()

        def approve():
            return moderation.moderate(waiting, "approve", None)

        def more(n):
            data = contribution_data(email=f"later{n}@example.org", text=f"Later {n}")
            return Client().post(post_url(pages["fr"], "fr"), data, **SAME_ORIGIN).status_code

        with ThreadPoolExecutor(6) as pool:
            approved = pool.submit(in_thread(approve))
            later = list(pool.map(in_thread(more), range(5)))
        assert approved.result() == 20
        assert later == [303] * 5
        # (Read only: a write here, in the test's transaction, would lock the row.)
        discussion = Discussion.objects.get(translation_key=key)
        assert discussion.shown_counts[""] == 20
    finally:

        def clean_up():  # committed, like the rows it deletes
            Discussion.objects.filter(translation_key=key).delete()
            Author.objects.filter(email__regex=r"^(together|later)").delete()

        with ThreadPoolExecutor(1) as pool:
            pool.submit(in_thread(clean_up)).result()
