"""Sending issues: the email rendering, the admin's send and test views, and the
worker's guarantees (one Delivery per subscriber, resuming after a dead worker,
skipping who left, recording refusals)."""

import re
import time
from datetime import timedelta
from email import policy as email_policy
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from home.models import CountryPage
from newsletter import marks, sending, sending_batch, subscriptions
from newsletter.issue_email import GMAIL_CLIP_BYTES, render_issue, version_for
from newsletter.models import Delivery, Mailing, NewsletterIssuePage, Subscriber
from tests.newsletter.smtp_server import smtp_server


def issue(language="en", number=1):
    return NewsletterIssuePage.objects.get(locale__language_code=language, number=number)


def confirmed(email, language="en", **fields):
    return Subscriber.objects.create(
        email=email,
        language=language,
        status=Subscriber.Status.CONFIRMED,
        consent_text_version=subscriptions.CONSENT_TEXT_VERSION,
        consent_given_at=timezone.now(),
        **fields,
    )


def untranslated_issue():
    """A published English issue with no French or Dutch version."""
    english = issue()
    new = NewsletterIssuePage(
        title="Issue two, English only",
        slug="issue-2",
        number=2,
        issue_date="2019-12-01",
        body=[("heading", {"text": "Only in English"})],
    )
    english.get_parent().add_child(instance=new)
    new.save_revision().publish()
    return new


# --- The email ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_issue_email_is_self_contained_and_under_gmail_clipping(language):
    version = version_for(issue(), language)
    assert version.locale.language_code == language
    email = render_issue(version, language)

    assert email.subject == version.title
    assert email.size < GMAIL_CLIP_BYTES
    assert f'<html lang="{language}">' in email.html
    assert "<table" in email.html
    # CSS inlined, no stylesheet link; every link and image absolute.
    assert 'style="' in email.html and "<link" not in email.html
    assert not re.search(r'(href|src)="/', email.html)
    assert 'src="http://testserver/media/' in email.html
    # A plain-text alternative with the content and the links written out.
    assert version.title in email.text
    assert "http://testserver/" in email.text
    assert "<p>" not in email.text


@pytest.mark.django_db
def test_each_subscriber_gets_their_own_links_and_list_unsubscribe_headers():
    email = render_issue(version_for(issue(), "fr"), "fr")
    subscriber = confirmed("lea@example.org", "fr")
    message = email.message_for(subscriber)
    raw = message.message(policy=email_policy.SMTP).as_bytes()  # as the SMTP backend asks

    # The links carry this subscriber's signed tokens (tokens hold a timestamp, so
    # read them from the message rather than making new ones).
    text = raw.decode()
    unsubscribe_token = re.search(r"/fr/newsletter/unsubscribe/([^/\s]+)/", text).group(1)
    preferences_token = re.search(r"/fr/newsletter/preferences/([^/\s]+)/", text).group(1)
    assert subscriptions.subscriber_from_unsubscribe_token(unsubscribe_token) == subscriber
    assert subscriptions.subscriber_from_preferences_token(preferences_token) == subscriber
    unsubscribe = f"http://testserver/fr/newsletter/unsubscribe/{unsubscribe_token}/"
    assert b"placeholder.invalid" not in raw
    assert b"To: lea@example.org\r\n" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only, as SMTP requires
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{unsubscribe}>, <mailto:")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The framing is in French, with the "view in browser" link to the French page.
    assert "Voir cette lettre d’information dans votre navigateur" in message.alternatives[0][0]
    assert version_for(issue(), "fr").full_url in message.body


@pytest.mark.django_db
def test_readers_get_english_where_their_language_is_missing_or_an_alias():
    new = untranslated_issue()
    assert version_for(new, "fr").pk == new.pk
    # An alias of the English page (what wagtail-localize makes for untranslated
    # pages) does not count as a translation either.
    french_alias = new.copy_for_translation(Locale.objects.get(language_code="fr"), alias=True)
    assert french_alias.alias_of_id == new.pk
    assert version_for(new, "fr").pk == new.pk

    email = render_issue(version_for(new, "fr"), "fr")
    assert email.subject == "Issue two, English only"
    assert '<html lang="fr">' in email.html and 'lang="en"' in email.html
    assert "pas encore disponible dans votre langue" in email.html


@pytest.mark.django_db
def test_email_preview_mode_in_the_editor(editor_client, rf):
    english = issue("en")
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert '<option value="email">Email</option>' in edit.content.decode()

    page = issue("nl")

    html = page.serve_preview(rf.get("/"), "email").content.decode()
    assert '<html lang="nl">' in html
    assert page.title in html
    assert 'style="' in html and "<table" in html


# --- The admin ---------------------------------------------------------------


@pytest.mark.django_db
def test_send_test_mails_one_message_per_language(editor_client):
    page = issue()
    url = reverse("newsletter_admin:send_test", args=[page.pk])
    form = editor_client.get(url)
    assert b'value="editor@example.org"' in form.content

    response = editor_client.post(url, {"email": "comms@example.org"}, follow=True)
    assert "Test sent to comms@example.org" in response.content.decode()
    subjects = sorted(message.subject for message in mail.outbox)
    titles = sorted(f"[Test] {version_for(page, code).title}" for code in ("en", "fr", "nl"))
    # The French subject prefix is translated: compare the titles only.
    assert [s.split("] ", 1)[1] for s in subjects] == [t.split("] ", 1)[1] for t in titles]
    assert {tuple(message.to) for message in mail.outbox} == {("comms@example.org",)}
    assert not Subscriber.objects.exists() and not Mailing.objects.exists()


@pytest.mark.django_db
def test_send_test_refuses_a_header_injecting_address(editor_client):
    url = reverse("newsletter_admin:send_test", args=[issue().pk])
    response = editor_client.post(url, {"email": "a@b.c\r\nBcc: x@example.org"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_send_reviews_counts_per_language_and_filters_by_country(editor_client):
    morocco = CountryPage.objects.get(locale__language_code="en", slug="morocco")
    confirmed("a@example.org", "en").countries.add(morocco)
    confirmed("b@example.org", "nl")
    confirmed("c@example.org", "fr")
    Subscriber.objects.create(email="pending@example.org", language="fr")
    url = reverse("newsletter_admin:send", args=[issue().pk])

    everyone = " ".join(editor_client.post(url, {"step": "review"}).content.decode().split())
    assert "<strong>3</strong>" in everyone
    only_morocco = editor_client.post(url, {"step": "review", "countries": [morocco.pk]})
    text = " ".join(only_morocco.content.decode().split())
    assert "<strong>1</strong>" in text and "Morocco" in text
    assert not Mailing.objects.exists()  # reviewing sends nothing


@pytest.mark.django_db
def test_an_issue_is_sent_once_whatever_the_language_or_the_clicks(
    editor_client, django_capture_on_commit_callbacks
):
    confirmed("a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = editor_client.post(
            reverse("newsletter_admin:send", args=[issue("fr").pk]), {"step": "confirm"}
        )
        second = editor_client.post(
            reverse("newsletter_admin:send", args=[issue("nl").pk]), {"step": "confirm"}
        )
    mailing = Mailing.objects.get()
    assert first.url == second.url == reverse("newsletter_admin:mailing", args=[mailing.pk])
    with pytest.raises(sending.AlreadySent):
        sending.start_mailing(issue())


@pytest.mark.django_db
def test_only_staff_with_the_permission_may_send(client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user("writer", "w@example.org", "pw")
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="send_newsletter"))
    user.groups.add(editors)
    client.force_login(user)
    url = reverse("newsletter_admin:send", args=[issue().pk])
    # Wagtail's admin answers a PermissionDenied with a redirect to its dashboard.
    refused = client.post(url, {"step": "confirm"})
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert client.get(reverse("newsletter_admin:mailings")).url == "/admin/"
    assert not Mailing.objects.exists()


@pytest.mark.django_db
def test_progress_shows_counts_per_language(editor_client):
    confirmed("a@example.org", "fr")
    confirmed("b@example.org", "fr")
    confirmed("c@example.org", "nl")
    mailing = sending.start_mailing(issue())
    sending.run_mailing(mailing.pk)
    page = editor_client.get(reverse("newsletter_admin:mailing", args=[mailing.pk]))
    text = " ".join(page.content.decode().split())
    assert '<th scope="row">French</th><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td>' in text
    assert '<th scope="row">Dutch</th><td>1</td>' in text


# --- The worker --------------------------------------------------------------


@pytest.mark.django_db
def test_scheduled_mailing_waits_and_can_be_cancelled():
    confirmed("a@example.org")
    later = timezone.now() + timedelta(days=1)
    mailing = sending.start_mailing(issue(), send_after=later)
    assert sending.run_mailing(mailing.pk) == {}
    assert not Delivery.objects.exists() and mail.outbox == []
    assert sending.cancel(mailing)
    # Cancelled before it started: the issue can be ordered again.
    sending.start_mailing(issue())


@pytest.mark.django_db
def test_worker_skips_who_left_and_records_refused_addresses(settings):
    confirmed("stays@example.org", "nl")
    leaves = confirmed("leaves@example.org", "fr")
    confirmed("refused@example.org", "en")
    mailing = sending.start_mailing(issue())
    sending._begin(mailing.pk)  # the list is taken when sending starts
    subscriptions.unsubscribe(leaves)

    with smtp_server(refuse={"refused@example.org"}) as inbox:
        settings.MAILERS = inbox.mailers
        outcome = sending.run_mailing(mailing.pk)

    assert outcome == {"sent": 1, "skipped": 1, "failed": 1}
    assert [rcpts for rcpts, _m in inbox.messages] == [["stays@example.org"]]
    failed = Delivery.objects.get(status="failed")
    assert failed.error.startswith("550")
    assert "refused@example.org" not in failed.error  # no address kept in the record
    assert Mailing.objects.get().status == Mailing.Status.DONE


@pytest.mark.django_db
def test_worker_takes_over_the_rows_of_a_dead_worker():
    """A worker died holding rows: one `sending` (its message may have gone out) and
    others waiting. Once their lease has run out, a new worker sends them all."""
    for n in range(4):
        confirmed(f"r{n}@example.org")
    mailing = sending.start_mailing(issue())
    sending._begin(mailing.pk)
    rows = list(Delivery.objects.order_by("pk"))
    expired = timezone.now() - timedelta(seconds=1)
    Delivery.objects.filter(pk=rows[0].pk).update(status="sent", sent_at=timezone.now())
    Delivery.objects.filter(pk=rows[1].pk).update(
        status="sending", claimed_by="dead", lease_until=expired, attempts=1
    )
    Delivery.objects.filter(pk__in=[r.pk for r in rows[2:]]).update(
        claimed_by="dead", lease_until=expired
    )

    outcome = sending.run_mailing(mailing.pk)

    assert outcome == {"sent": 3}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "r1@example.org",
        "r2@example.org",
        "r3@example.org",
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_rows_held_by_a_live_worker_are_left_alone():
    confirmed("a@example.org")
    mailing = sending.start_mailing(issue())
    sending._begin(mailing.pk)
    held_until = timezone.now() + timedelta(minutes=5)
    Delivery.objects.update(claimed_by="alive", lease_until=held_until)
    assert sending._claim(mailing, "other") == []


@pytest.mark.django_db
def test_one_delivery_per_subscriber_and_mailing():
    from django.db import IntegrityError, transaction

    subscriber = confirmed("a@example.org")
    mailing = sending.start_mailing(issue())
    sending._begin(mailing.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(mailing=mailing, subscriber=subscriber, language="en")


@pytest.mark.django_db
def test_one_click_unsubscribe_needs_no_cookie_or_token_and_get_changes_nothing():
    subscriber = confirmed("a@example.org", "nl")
    path = subscriptions.unsubscribe_url(subscriber).removeprefix("http://testserver")
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"  # a mail scanner's prefetch does nothing
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "U bent uitgeschreven" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


@pytest.mark.django_db
def test_editors_and_moderators_may_send_translators_may_not():
    from django.contrib.auth.models import Group

    may_send = {
        group.name for group in Group.objects.filter(permissions__codename="send_newsletter")
    }
    assert may_send == {"Editors", "Moderators"}


@pytest.mark.django_db
def test_a_member_of_editors_can_send(
    client, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("comms", "comms@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    confirmed("a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("newsletter_admin:send", args=[issue().pk]), {"step": "confirm"}
        )
    mailing = Mailing.objects.get()
    assert response.url == reverse("newsletter_admin:mailing", args=[mailing.pk])
    assert mailing.created_by == user


@pytest.mark.django_db
def test_the_console_mailer_of_make_run_shows_the_messages(settings, capsys):
    """`make run` prints mail to the console; the worker must work with it too."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    confirmed("a@example.org", "nl")
    mailing = sending.start_mailing(issue())
    assert sending.run_mailing(mailing.pk) == {"sent": 1}
    printed = capsys.readouterr().out
    assert "To: a@example.org" in printed
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in printed


@pytest.mark.django_db
def test_a_slow_batch_renews_its_lease(settings, monkeypatch):
    """A live worker keeps its rows: when sending takes a third of the lease, the
    lease on the rest of the batch is extended, so no other worker takes them."""
    settings.NEWSLETTER = {**settings.NEWSLETTER, "LEASE_SECONDS": 30, "BATCH_SIZE": 10}
    for n in range(3):
        confirmed(f"r{n}@example.org")
    mailing = sending.start_mailing(issue())
    sending._begin(mailing.pk)
    clock = iter(range(0, 1000, 20))  # each look at the clock: 20 seconds later
    # Only the sending module's clock: patching time.monotonic itself would hand the
    # ticks to everything else that reads it too (the Redis client, in CI).
    fake_time = SimpleNamespace(monotonic=lambda: next(clock), sleep=time.sleep)
    monkeypatch.setattr(sending_batch, "time", fake_time)
    leases = []
    step = marks.Marks.step

    def slow_step(self, previous, current):
        last = Delivery.objects.order_by("pk").last()
        leases.append(last.lease_until)
        return step(self, previous, current)

    monkeypatch.setattr(marks.Marks, "step", slow_step)
    assert sending.run_mailing(mailing.pk) == {"sent": 3}
    assert leases[0] < leases[1] < leases[2]  # renewed before each slow message
