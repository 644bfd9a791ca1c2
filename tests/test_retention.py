"""`manage.py purge_personal_data`: every retention period of settings.RETENTION, as
time passes (the clock moved forward): rows older than their period go, younger ones
stay, `--dry-run` deletes nothing and says how many would go, and nothing else is
touched (page history, other people's data)."""

import datetime
import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from events.models import CallPage, EventProposal
from home.models import FormPage, Partner
from newsletter.models import Subscriber
from public_forms.models import PublicFormSubmission
from tests.events.factories import make_event
from tests.helpers import demo_page

pytestmark = pytest.mark.django_db
CALL = "events/invest-in-a-rwanda-pilot-project"


def purge(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def said(output, label):
    """The count the command gave for `label` ("form answer(s)")."""
    for line in output.splitlines():
        if line.endswith(f" {label}."):
            return int(line.split()[-1 - len(label.split())])
    raise AssertionError(f"{label!r} not in {output!r}")


def answer(page, **data):
    now = timezone.now()
    return PublicFormSubmission.objects.create(
        page=page,
        form_data={"message": "Hello", **data},
        consent_text="Yes",
        consent_version="v1",
        consent_given_at=now,
    )


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_form_answers_go_a_year_after_they_were_sent_and_dry_run_only_counts(clock):
    contact = FormPage.objects.get(slug="contact", locale__language_code="fr")
    old = answer(contact)
    clock.advance(days=200)
    young = answer(contact, message="Later")
    clock.advance(days=166)  # the first is 366 days old, the second 166

    output = purge("--dry-run")
    assert "Would delete 1 form answer(s)." in output
    assert ids(PublicFormSubmission.objects.filter(pk__in=[old.pk, young.pk])) == {
        old.pk,
        young.pk,
    }

    output = purge()
    assert "Deleted 1 form answer(s)." in output
    assert not PublicFormSubmission.objects.filter(pk=old.pk).exists()
    assert PublicFormSubmission.objects.filter(pk=young.pk).exists()
    assert said(purge("--dry-run"), "form answer(s)") == 0


def test_a_shorter_period_in_the_settings_is_followed(clock, settings):
    survey = FormPage.objects.get(slug="survey", locale__language_code="en")
    old = answer(survey)
    clock.advance(days=31)
    assert "Deleted 0 form answer(s)." in purge()
    settings.RETENTION = {**settings.RETENTION, "form_answers": 30}
    assert "Deleted 1 form answer(s)." in purge()
    assert not PublicFormSubmission.objects.filter(pk=old.pk).exists()


def test_call_applications_stay_two_years_after_the_deadline_not_the_form_answers_year(clock):
    call = demo_page(CALL, "fr")
    CallPage.objects.filter(pk=call.pk).update(deadline=clock.now + datetime.timedelta(days=60))
    application = answer(call, name="Amina")
    contact = answer(FormPage.objects.get(slug="contact", locale__language_code="en"))

    clock.advance(days=60 + 729)  # 789 days after it was sent, 729 after the deadline
    output = purge()
    assert "Deleted 0 call application(s)." in output
    assert "Deleted 1 form answer(s)." in output
    assert PublicFormSubmission.objects.filter(pk=application.pk).exists()
    assert not PublicFormSubmission.objects.filter(pk=contact.pk).exists()

    clock.advance(days=2)
    assert "Would delete 1 call application(s)." in purge("--dry-run")
    assert PublicFormSubmission.objects.filter(pk=application.pk).exists()
    assert "Deleted 1 call application(s)." in purge()
    assert not PublicFormSubmission.objects.filter(pk=application.pk).exists()


def test_applications_to_a_call_without_deadline_count_from_the_day_sent(clock):
    call = demo_page(CALL, "en")
    CallPage.objects.filter(pk=call.pk).update(deadline=None)
    old = answer(call)
    clock.advance(days=100)
    young = answer(call)
    clock.advance(days=631)
    assert "Deleted 1 call application(s)." in purge()
    assert ids(PublicFormSubmission.objects.filter(page=call)) >= {young.pk}
    assert not PublicFormSubmission.objects.filter(pk=old.pk).exists()


def proposal_for(page):
    return EventProposal.objects.create(
        page=page,
        language="fr",
        name="Amina Diallo",
        email="amina@example.org",
        consent_text="Oui",
        consent_given_at=timezone.now(),
    )


def test_a_proposal_s_contact_details_go_a_year_on_once_its_event_is_over(clock):
    past = proposal_for(make_event(start="past", slug="past-forum")["en"])
    later = make_event(start=clock.now + datetime.timedelta(days=500), slug="far-forum")
    far = proposal_for(later["en"])
    clock.advance(days=366)

    assert "Would delete 1 event proposal(s)." in purge("--dry-run")
    assert EventProposal.objects.count() == 2
    assert "Deleted 1 event proposal(s)." in purge()
    assert list(EventProposal.objects.all()) == [far]
    # The draft page the proposal became stays; only the organiser's details went.
    assert past.page.__class__.objects.filter(pk=past.page_id).exists()

    clock.advance(days=500)  # the far event is over
    assert "Deleted 1 event proposal(s)." in purge()
    assert not EventProposal.objects.exists()


def task(status, finished_at):
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        args_kwargs={"args": ["amina@example.org"], "kwargs": {}},
        task_path="newsletter.tasks.send",
        backend_name="default",
        queue_name="emails",
        run_after=finished_at,
    )


def test_finished_tasks_go_after_a_week_failed_ones_after_a_month(clock):
    now = clock.now
    done_old = task("SUCCESSFUL", now - datetime.timedelta(days=8))
    done_young = task("SUCCESSFUL", now - datetime.timedelta(days=6))
    failed_old = task("FAILED", now - datetime.timedelta(days=31))
    failed_young = task("FAILED", now - datetime.timedelta(days=8))
    waiting = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="newsletter.tasks.send",
        backend_name="default",
        queue_name="emails",
        run_after=now - datetime.timedelta(days=90),
    )

    output = purge("--dry-run")
    assert "Would delete 1 finished task(s)." in output
    assert "Would delete 1 failed task(s)." in output
    assert DBTaskResult.objects.count() == 5
    output = purge()
    assert "Deleted 1 finished task(s)." in output
    assert "Deleted 1 failed task(s)." in output
    assert ids(DBTaskResult.objects) == {done_young.pk, failed_young.pk, waiting.pk}
    assert not {done_old.pk, failed_old.pk} & ids(DBTaskResult.objects)


def test_admin_history_about_people_goes_after_two_years_page_history_stays(clock):
    subscriber = Subscriber.objects.create(
        email="amina@example.org", language="fr", status="confirmed"
    )
    user = get_user_model().objects.create_user("translator", "t@example.org", "x" * 20)
    log(instance=subscriber, action="wagtail.edit")
    log(instance=user, action="wagtail.edit")
    partner = Partner.objects.first()
    log(instance=partner, action="wagtail.edit")
    page = FormPage.objects.get(slug="contact", locale__language_code="en")
    log(instance=page, action="wagtail.edit")
    pages_before = PageLogEntry.objects.count()
    clock.advance(days=400)
    log(instance=subscriber, action="wagtail.create")  # a younger entry about her
    clock.advance(days=331)  # the first entries are 731 days old

    output = purge("--dry-run")
    assert "Would delete 2 admin history entry(ies) about people." in output
    assert purge().count("Deleted 2 admin history entry(ies) about people.") == 1
    about_her = ModelLogEntry.objects.filter(object_id=str(subscriber.pk))
    assert list(about_her.values_list("action", flat=True)) == ["wagtail.create"]
    assert not ModelLogEntry.objects.filter(
        object_id=str(user.pk), content_type__model="user"
    ).exists()
    # Partners are no one's personal data, and page history is never touched.
    assert ModelLogEntry.objects.filter(object_id=str(partner.pk), action="wagtail.edit").exists()
    assert PageLogEntry.objects.count() == pages_before


def test_search_terms_go_after_thirty_days_unless_an_editor_promotes_them(clock):
    Query.get("jobs in kigali").add_hit()
    Query.get("diaspora").add_hit()
    promoted = Query.get("visa")
    promoted.add_hit()
    SearchPromotion.objects.create(
        query=promoted, page=FormPage.objects.get(slug="contact", locale__language_code="en")
    )
    clock.advance(days=20)
    Query.get("diaspora").add_hit()  # searched for again
    clock.advance(days=11)  # the first day is 31 days ago, the second 11

    output = purge("--dry-run")
    assert "Would delete 1 search term(s)." in output
    assert "Would delete 3 daily count(s) of search terms." in output
    assert Query.objects.count() == 3
    purge()
    assert set(Query.objects.values_list("query_string", flat=True)) == {"diaspora", "visa"}
    assert list(QueryDailyHits.objects.values_list("query__query_string", "hits")) == [
        ("diaspora", 1)
    ]


def test_the_older_purges_run_too_and_say_so(clock):
    pending = Subscriber.objects.create(
        email=f"{uuid.uuid4().hex}@example.org",
        language="en",
        status="pending",
        consent_given_at=clock.now,
    )
    clock.advance(days=8)
    output = purge("--dry-run")
    for label in (
        "unconfirmed sign-up(s)",
        "unanswered invitation(s)",
        "event registration(s)",
        "rejected or spam contribution(s)",
    ):
        assert label in output
    assert said(output, "unconfirmed sign-up(s)") == 1
    assert Subscriber.objects.filter(pk=pending.pk).exists()
    purge()
    assert not Subscriber.objects.filter(pk=pending.pk).exists()
