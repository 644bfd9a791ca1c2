"""What a crash of the database server could cost, on PostgreSQL: the worker's
marks are committed without waiting for the disk (`SET LOCAL synchronous_commit =
off`) except every `NEWSLETTER["DURABLE_EVERY"]`-th, and nothing else is.

A real worker process sends an issue on a copy of the site whose database keeps
PostgreSQL's own setting (`on`); after each of its marks, another transaction on
the same connection is back to `on`, and so is a subscription stored right after
the sending, on that connection. (The cadence of the marks, every DURABLE_EVERY-th
waiting for the disk, is tested in test_sending_wire.py.)
"""

import pytest

from tests.databases import ON_POSTGRES
from tests.newsletter.test_sending_crash import START_MAILING, site_copy, smtp_server

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,  # the session's test database, which `site_copy` copies
    pytest.mark.skipif(not ON_POSTGRES, reason="synchronous_commit is PostgreSQL's"),
]

SUBSCRIBERS = 120

SEND_AND_LOOK = """
    import json
    from django.db import connection, transaction
    from newsletter import marks, sending, subscriptions
    from newsletter.models import Mailing, Subscriber

    def commits_wait_for_the_disk():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    seen = []
    step = marks.Marks.step

    def step_then_look(self, previous, current):
        still_ours = step(self, previous, current)
        seen.append(commits_wait_for_the_disk())  # the next transaction
        return still_ours

    marks.Marks.step = step_then_look
    outcome = sending.run_mailing(Mailing.objects.get().pk)
    with transaction.atomic():  # a subscription, as the form's confirmation stores it
        Subscriber.objects.create(
            email="new@example.org",
            language="fr",
            status=Subscriber.Status.CONFIRMED,
            consent_text_version=subscriptions.CONSENT_TEXT_VERSION,
        )
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            subscribing = cursor.fetchone()[0]
    print(json.dumps({"outcome": outcome, "seen": seen, "subscribing": subscribing}))
"""


def test_only_the_marks_skip_waiting_for_the_disk(tmp_path):
    with site_copy(tmp_path, fast_commits=False) as site, smtp_server() as inbox:
        env = site.env(smtp_port=inbox.port, lease_seconds=60, batch_size=50)
        env["NEWSLETTER_DURABLE_EVERY"] = "7"
        site.python(env, START_MAILING.format(subscribers=SUBSCRIBERS, extra_tasks=0))
        result = site.python(env, SEND_AND_LOOK)

    assert result["outcome"] == {"sent": SUBSCRIBERS}
    assert len(inbox.messages) == SUBSCRIBERS
    assert result["seen"] == ["on"] * SUBSCRIBERS
    assert result["subscribing"] == "on"
