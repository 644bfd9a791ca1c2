from events.models.pages import (
    CallPage,
    EventIndexPage,
    EventPage,
    RegistrationMode,
    RelatedPagesMixin,
)

__all__ = ["CallPage", "EventIndexPage", "EventPage", "RegistrationMode", "RelatedPagesMixin"]
