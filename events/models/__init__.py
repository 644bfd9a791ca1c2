from events.models.calendar_entry import CalendarEntry
from events.models.call import CallPage
from events.models.call_forms import CallFormField
from events.models.event import EventPage, RegistrationMode
from events.models.index import EventIndexPage
from events.models.proposals import EventProposal
from events.models.registration import EventPlaces, Registration
from events.models.related import RelatedPagesMixin

__all__ = [
    "CalendarEntry",
    "CallFormField",
    "CallPage",
    "EventIndexPage",
    "EventPage",
    "EventPlaces",
    "EventProposal",
    "Registration",
    "RegistrationMode",
    "RelatedPagesMixin",  # named by old migrations
]
