from events.models.call_forms import CallFormField
from events.models.pages import (
    CallPage,
    EventIndexPage,
    EventPage,
    RegistrationMode,
    RelatedPagesMixin,
)
from events.models.proposals import EventProposal
from events.models.registration import EventPlaces, Registration

__all__ = [
    "CallFormField",
    "CallPage",
    "EventIndexPage",
    "EventPage",
    "EventPlaces",
    "EventProposal",
    "Registration",
    "RegistrationMode",
    "RelatedPagesMixin",
]
