"""An issue's results on its mailing's page and in its CSV (newsletter/results.py):
delivered, failed, who left the list within 7 and 30 days, and the issue page's
views in each language; no cookie, no tracking; one query count whatever the
number of deliveries; only staff who may send issues see them."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter import gdpr, sending, subscriptions
from newsletter.models import Delivery, Subscriber
from pagecache import views_count
from tests.helpers import soup
from tests.newsletter.test_sending import confirmed, issue
from tests.test_page_views import BROWSER

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def move_to(self, **delta):
        self.now = START + datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture(autouse=True)
def empty_tally(monkeypatch):
    monkeypatch.setattr(views_count, "PUSH_SECONDS", 3600)  # pushed when the test says
    views_count._tally.take()
    yield
    views_count._tally.take()


def sent_mailing(clock, people):
    """A mailing sent at START to `people`: [(email, language)]."""
    subscribers = [confirmed(email, language) for email, language in people]
    mailing = sending.start_mailing(issue())
    sending.run_mailing(mailing.pk)
    # The worker may stamp `sent_at` with the database's clock (PostgreSQL's now()),
    # which the test's clock does not move.
    Delivery.objects.filter(mailing=mailing, status="sent").update(sent_at=START)
    assert Delivery.objects.filter(mailing=mailing, status="sent").count() == len(people)
    return mailing, subscribers


def leave(subscriber, status, clock, **after):
    clock.move_to(**after)
    if status == Subscriber.Status.UNSUBSCRIBED:
        subscriptions.unsubscribe(subscriber)  # the link in every issue
    else:  # what the webhook and the mailbox's bounces set
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status=status, status_changed_at=timezone.now()
        )


def result_rows(client, mailing):
    """{language: [sent, failed, then unsubscribed, bounced, marked as spam and page
    views within 7 days, the same within 30]} as the mailing's page shows them: the
    sending's table, then one table per window."""
    page = client.get(reverse("newsletter_admin:mailing", args=[mailing.pk]))
    assert page.status_code == 200

    def table_rows(table):
        return {
            cells[0]: cells[1:]
            for cells in (
                [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
                for tr in table.select("tbody tr, tfoot tr")
            )
        }

    tables = soup(page).select("table.listing")
    sending = table_rows(tables[0])  # Sent, Failed, Skipped, Waiting, Total
    windows = [
        table_rows(caption.find_parent("table"))
        for caption in soup(page).find_all("caption", string=re.compile(r"^\s*Within \d+ days"))
    ]
    assert len(windows) == 2
    rows = {
        language: sending[language][:2] + [v for window in windows for v in window[language][1:]]
        for language in sending
    }
    for window in windows:  # each window's "Sent" is the sending's
        assert {language: cells[0] for language, cells in window.items()} == {
            language: cells[0] for language, cells in sending.items()
        }
    return page, rows


def csv_rows(client, mailing):
    response = client.get(reverse("newsletter_admin:results_csv", args=[mailing.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_who_left_within_7_and_30_days_and_the_views_per_language(editor_client, clock):
    mailing, (fr1, fr2, fr3, fr4, nl1, nl2, en1) = sent_mailing(
        clock,
        [("a@example.org", "fr"), ("b@example.org", "fr"), ("c@example.org", "fr"),
         ("d@example.org", "fr"), ("e@example.org", "nl"), ("f@example.org", "nl"),
         ("g@example.org", "en")],
    )  # fmt: skip
    leave(fr1, "unsubscribed", clock, days=2)  # within 7
    leave(fr2, "bounced", clock, days=10)  # within 30 only
    leave(fr3, "complained", clock, days=6, hours=23)  # within 7
    leave(nl1, "unsubscribed", clock, days=31)  # after both windows
    leave(nl2, "bounced", clock, days=29)  # within 30
    # Views: two readers on the sending day, one on day 6, one on day 20, one on day 40.
    reader = Client()
    for days, language in ((0, "fr"), (0, "fr"), (6, "nl"), (20, "fr"), (40, "fr")):
        clock.move_to(days=days, hours=1)
        response = reader.get(issue(language).url, HTTP_USER_AGENT=BROWSER)
        assert not response.cookies
        views_count.flush()  # as the scheduled flush_page_views does
    clock.move_to(days=45)
    page, rows = result_rows(editor_client, mailing)
    # Sent, failed | 7 days: unsubscribed, bounced, spam, views | 30 days: the same.
    assert rows["French"] == ["4", "0", "1", "0", "1", "2", "1", "1", "1", "3"]
    assert rows["Dutch"] == ["2", "0", "0", "0", "0", "1", "0", "1", "0", "1"]
    assert rows["English"] == ["1", "0", "0", "0", "0", "0", "0", "0", "0", "0"]
    assert rows["Total"] == ["7", "0", "1", "0", "1", "3", "1", "2", "1", "4"]
    assert "so far" not in page.content.decode()

    lines = csv_rows(editor_client, mailing)
    assert lines[0][:4] == ["Language", "Sent", "Failed", "Unsubscribed within 7 days"]
    assert lines[0][-2:] == ["Page views within 7 days", "Page views within 30 days"]
    french = dict(zip(lines[0], next(line for line in lines if line[0] == "French"), strict=True))
    assert french["Bounced within 30 days"] == "1"
    assert french["Page views within 7 days"] == "2"
    assert lines[-1][0] == "Total"


def test_windows_still_open_say_so_and_an_erased_subscriber_still_counts(editor_client, clock):
    mailing, (gone, stays) = sent_mailing(clock, [("h@example.org", "fr"), ("i@example.org", "fr")])
    leave(gone, "unsubscribed", clock, days=1)
    gdpr.erase(Subscriber.objects.get(pk=gone.pk))
    assert not Subscriber.objects.filter(pk=gone.pk).exists()
    # An erased subscriber who never left the list is not counted as leaving.
    gdpr.erase(Subscriber.objects.get(pk=stays.pk))
    clock.move_to(days=3)
    page, rows = result_rows(editor_client, mailing)
    assert rows["French"][:3] == ["2", "0", "1"]
    assert rows["French"][6] == "1"
    assert "so far, until" in " ".join(page.content.decode().split())


def test_the_csv_comes_in_the_admin_users_language(editor_client, clock):
    from wagtail.users.models import UserProfile

    user = editor_client.get("/admin/").wsgi_request.user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    mailing, (person,) = sent_mailing(clock, [("j@example.org", "nl")])
    leave(person, "complained", clock, days=1)
    lines = csv_rows(editor_client, mailing)
    assert lines[0][:3] == ["Langue", "Envoyés", "Échecs"]
    assert lines[0][5] == "Signalés comme spam dans les 7\u00a0jours"
    dutch = next(line for line in lines if line[0] == "néerlandais")
    assert dutch[:6] == ["néerlandais", "1", "0", "0", "0", "1"]
    assert lines[-1][0] == "Total"


def test_queries_do_not_grow_with_the_deliveries(editor_client, clock):
    mailing, _ = sent_mailing(clock, [(f"p{n}@example.org", "fr") for n in range(3)])
    url = reverse("newsletter_admin:mailing", args=[mailing.pk])
    editor_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    many = [
        Subscriber(email=f"q{n}@example.org", language="nl", status="unsubscribed",
                   status_changed_at=START + datetime.timedelta(days=1))
        for n in range(400)
    ]  # fmt: skip
    Subscriber.objects.bulk_create(many)
    Delivery.objects.bulk_create(
        Delivery(mailing=mailing, subscriber=s, language="nl", status="sent", sent_at=START)
        for s in Subscriber.objects.filter(email__startswith="q")
    )
    with CaptureQueriesContext(connection) as lots:
        page = editor_client.get(url)
    assert len(lots) == len(few)
    _, rows = result_rows(editor_client, mailing)
    assert rows["Dutch"][:3] == ["400", "0", "400"]
    assert page.status_code == 200


def test_only_staff_who_may_send_see_the_results(client, django_user_model, clock):
    from django.contrib.auth.models import Group, Permission

    mailing, _ = sent_mailing(clock, [("k@example.org", "en")])
    user = django_user_model.objects.create_user("writer", "w@example.org", "pw")
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="send_newsletter"))
    user.groups.add(editors)
    client.force_login(user)
    for name in ("mailing", "results_csv"):
        refused = client.get(reverse(f"newsletter_admin:{name}", args=[mailing.pk]))
        # Wagtail's admin answers a PermissionDenied with a redirect to its dashboard.
        assert (refused.status_code, refused.url) == (302, "/admin/")
    anonymous = Client().get(reverse("newsletter_admin:results_csv", args=[mailing.pk]))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url
