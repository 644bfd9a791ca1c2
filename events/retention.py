"""The events' personal data and how long it stays (privacy.periods):
registrations some months after their event (purge_registrations' rule), the
organiser's details of an event proposal, and the applications to a call."""

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from events.management.commands.purge_registrations import expired_registrations
from events.models import CallPage, EventPage, EventProposal
from privacy import periods
from public_forms.models import PublicFormSubmission

PERSONAL_MODELS = ["events.registration", "events.eventproposal"]
KINDS = []


def expired_proposals(now):
    """Proposals made before the cutoff whose event is over by then too (or has no
    date): the organiser can be reached until the event has taken place."""
    cutoff = periods.cutoff(now, "event_proposals")
    running = (
        EventPage.objects.annotate(last_day=Coalesce("end", "start"))
        .filter(last_day__gte=cutoff)
        .values("pk")
    )
    return EventProposal.objects.filter(created_at__lt=cutoff).exclude(page__in=running)


def expired_applications(now):
    """Applications to a call whose deadline passed before the cutoff; to a call
    without a deadline, those sent before it."""
    cutoff = periods.cutoff(now, "call_applications")
    closed = CallPage.objects.filter(deadline__lt=cutoff).values("pk")
    open_ended = CallPage.objects.filter(deadline=None).values("pk")
    return PublicFormSubmission.objects.filter(
        Q(page__in=closed) | Q(page__in=open_ended, submit_time__lt=cutoff)
    )


KINDS.append(
    periods.Kind(
        key="event_registrations",
        label=_("Registrations for an event"),
        period=lambda: periods.natural_months(settings.EVENTS_REGISTRATION_RETENTION_MONTHS),
        start=_("after the event"),
        expired=lambda now: {"event registration(s)": expired_registrations(now)},
        order=20,
    )
)
KINDS.append(
    periods.Kind(
        key="event_proposals",
        label=_("The organiser's details sent with an event proposal"),
        period=periods.in_days("event_proposals"),
        start=_("after the proposal, and not before the event is over"),
        expired=lambda now: {"event proposal(s)": expired_proposals(now)},
        order=21,
    )
)
KINDS.append(
    periods.Kind(
        key="call_applications",
        label=_("Applications to a call for cooperation"),
        period=periods.in_days("call_applications"),
        start=_("after the call's deadline"),
        expired=lambda now: {"call application(s)": expired_applications(now)},
        order=22,
    )
)
