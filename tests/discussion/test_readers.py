"""What readers and authors do besides posting: reply, report, get told what became
of their words, stop those emails; and what the office keeps and forgets."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from discussion import moderation
from discussion.models import Author, Contribution, Report
from personal_data import records as personal_data
from tests.discussion.helpers import SAME_ORIGIN, link_in, post, published, story
from tests.helpers import soup

pytestmark = pytest.mark.django_db
State = Contribution.State


def path_of(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_reply_is_emailed_to_the_author_who_can_stop_further_emails(client):
    first = published(client, story("fr"))
    mail.outbox.clear()
    reply = published(
        client,
        story("nl"),
        code="nl",
        parent=str(first.pk),
        name="Pieter",
        email="pieter@example.org",
        text="Ik heb hetzelfde meegemaakt.",
        language="nl",
    )
    assert reply.parent_id == first.pk
    to_awa = [m for m in mail.outbox if m.to == ["awa@example.org"]]
    assert len(to_awa) == 1
    [message] = to_awa
    assert "Pieter" in message.body and "Ik heb hetzelfde meegemaakt." in message.body
    assert "pieter@example.org" not in message.body
    stop = link_in(message, "/discussion/emails/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    # The mail client's one-click POST (no cookie, no token), RFC 8058.
    response = client.post(path_of(stop), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Author.objects.get(email="awa@example.org").notifications is False

    mail.outbox.clear()
    published(
        client,
        story("en"),
        code="en",
        parent=str(first.pk),
        name="Pieter",
        email="pieter@example.org",
        text="One more thought.",
        language="en",
    )
    assert [m for m in mail.outbox if m.to == ["awa@example.org"]] == []


def test_a_reply_shows_under_its_contribution_on_every_page(client):
    first = published(client, story("fr"))
    reply = published(
        client,
        story("en"),
        code="en",
        parent=str(first.pk),
        name="Sam",
        email="sam@example.org",
        text="Welcome!",
        language="en",
    )
    html = soup(client.get(story("nl").url))
    thread = html.select_one(f"#contribution-{first.pk}").find_parent("li")
    assert thread.select_one(f"#contribution-{reply.pk}")["lang"] == "en"


def test_a_reply_to_a_reply_is_refused_one_level_only(client):
    first = published(client, story("fr"))
    reply = published(client, story("fr"), parent=str(first.pk), text="Une réponse.")
    before = Contribution.objects.count()
    response = post(client, story("fr"), parent=str(reply.pk), text="Une réponse à la réponse.")
    assert response.status_code == 200
    assert soup(response).select_one(".form__errors[role=alert]")
    assert Contribution.objects.count() == before


def test_the_office_answer_is_marked_as_such(client):
    first = published(client, story("fr"))
    mail.outbox.clear()
    answer = moderation.answer_as_office(first, "Merci Awa, nous vous écrivons.", "fr", None)
    article = soup(client.get(story("en").url)).select_one(f"#contribution-{answer.pk}")
    assert "contribution--office" in article["class"]
    assert article.select_one(".badge--office")
    [message] = mail.outbox
    assert message.to == ["awa@example.org"]


def test_rejecting_tells_the_author_why_and_spam_tells_nothing(client):
    post(client, story("fr"))
    from tests.discussion.helpers import confirm_from_email

    confirm_from_email(client, mail.outbox[-1])
    contribution = Contribution.objects.get()
    mail.outbox.clear()
    moderation.moderate([contribution], "reject", None, reason="Hors sujet.")
    [message] = mail.outbox
    assert message.to == ["awa@example.org"]
    assert "Hors sujet." in message.body
    assert "/fr/discussion/house-rules/" in message.body

    post(client, story("fr"), text="Achetez mes montres !")
    spam = Contribution.objects.get(state=State.PENDING)
    mail.outbox.clear()
    moderation.moderate([spam], "spam", None)
    assert mail.outbox == []


def test_a_reader_reports_without_logging_in_and_the_contribution_stays(client):
    contribution = published(client, story("fr"))
    url = f"/fr/discussion/report/{contribution.pk}/"
    assert client.get(url).status_code == 200
    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2"):
        response = client.post(url, {"reason": "offensive"}, REMOTE_ADDR=address, **SAME_ORIGIN)
        assert response.status_code == 200
    contribution.refresh_from_db()
    assert contribution.report_count == 2  # one per reader
    assert Report.objects.count() == 2
    assert not any("10.0.0" in r.reporter for r in Report.objects.all())
    assert contribution.state == State.APPROVED  # visible until a moderator acts
    assert soup(client.get(story("fr").url)).select_one(f"#contribution-{contribution.pk}")

    refused = client.post(url, {"reason": "nonsense"}, **SAME_ORIGIN)
    assert soup(refused).select_one("#report-error")
    foreign = client.post(url, {"reason": "spam"}, HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403


def test_export_and_erasure_leave_a_placeholder_where_replies_depend(client):
    first = published(client, story("fr"))
    lone = published(client, story("fr"), text="Une autre idée.")
    published(
        client,
        story("en"),
        code="en",
        parent=str(first.pk),
        name="Sam",
        email="sam@example.org",
        text="Welcome!",
        language="en",
    )
    data = personal_data.export("AWA@example.org")
    assert len(data["discussion_contributions"]) == 2
    assert data["discussion_authors"][0]["email"] == "awa@example.org"

    result = personal_data.erase("awa@example.org")
    assert result["discussion_contributions"] == 2
    assert not Contribution.objects.filter(pk=lone.pk).exists()
    first.refresh_from_db()
    assert (first.state, first.name, first.text, first.author_id) == (State.ERASED, "", "", None)
    assert not Author.objects.filter(email="awa@example.org").exists()
    page = client.get(story("nl").url).content.decode()
    assert "Awa" not in page and "Comment rejoindre" not in page
    assert "Welcome!" in page


def test_retention_deletes_rejected_and_spam_after_thirty_days(client):
    post(client, story("fr"))
    old = Contribution.objects.get()
    Contribution.objects.filter(pk=old.pk).update(
        state=State.SPAM, moderated_at=timezone.now() - timedelta(days=31)
    )
    post(client, story("fr"), text="Récent.", email="autre@example.org")
    recent = Contribution.objects.get(text="Récent.")
    Contribution.objects.filter(pk=recent.pk).update(
        state=State.REJECTED, moderated_at=timezone.now() - timedelta(days=29)
    )
    call_command("purge_discussion", verbosity=0)
    assert list(Contribution.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_moderator_keeps_a_reported_contribution_and_its_reports_go(client):
    contribution = published(client, story("fr"))
    url = f"/fr/discussion/report/{contribution.pk}/"
    client.post(url, {"reason": "spam"}, REMOTE_ADDR="10.0.0.9", **SAME_ORIGIN)
    assert moderation.moderate([contribution], "keep", None) == 1
    contribution.refresh_from_db()
    assert (contribution.state, contribution.report_count) == (State.APPROVED, 0)
    assert Report.objects.count() == 0
    assert moderation.moderate([contribution], "keep", None) == 0  # nothing reported now
