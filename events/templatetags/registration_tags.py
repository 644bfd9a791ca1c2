"""Registration on this site, on the event page: whether it is open, the places left
and the (empty) form. The event page is cached for anonymous visitors: what this
shows is the same for all of them, until registration closes or someone registers or
cancels (pagecache.lifetime)."""

from django import template

from events.forms import RegistrationForm
from events.models.registration import places_counter
from pagecache.lifetime import changes_at, depends_on

register = template.Library()


@register.simple_tag
def registration_on_site(page):
    """{"open", "places_left", "form"} for an event that takes registrations here."""
    is_open = page.registration_is_open()
    changes_at(page.registration_closes_at())
    depends_on(places_counter(page.translation_key))
    return {"open": is_open, "places_left": page.places_left(), "form": RegistrationForm()}
