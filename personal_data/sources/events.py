"""Event registrations (erasing one that holds a place cancels it first, through
events.registering.cancel, so that the place goes to the first person waiting,
who is emailed) and the organisers' records of event proposals (the draft event
page stays: it holds the event, not the organiser)."""

from django.utils.translation import gettext_lazy as _

from events.models import EventProposal, Registration
from events.registering import cancel
from privacy.exports import model_fields

KINDS = [
    ("event_registrations", _("Event registrations")),
    ("event_proposals", _("Event proposals")),
]


def _registrations(email):
    return Registration.objects.filter(email__iexact=email).select_related("places")


def _proposals(email):
    return EventProposal.objects.filter(email__iexact=email).select_related("page")


def export(email):
    return {
        "event_registrations": [
            {"event": registration.places.title, **model_fields(registration)}
            for registration in _registrations(email)
        ],
        "event_proposals": [
            {"page_title": proposal.page.title, **model_fields(proposal)}
            for proposal in _proposals(email)
        ],
    }


def erase(email, user):
    """`promoted` counts the people waiting who got a freed place (emailed once the
    transaction commits)."""
    result = {"event_registrations": 0, "event_proposals": 0, "promoted": 0}
    for registration in _registrations(email):
        # Through the waiting list's own lock: a place held goes to the next person.
        _cancelled, promoted = cancel(registration.pk)
        result["promoted"] += promoted is not None
        Registration.objects.filter(pk=registration.pk).delete()
        result["event_registrations"] += 1
    for proposal in _proposals(email):
        proposal.delete()  # the draft page stays
        result["event_proposals"] += 1
    return result
