"""Events made for tests, published in English with French and Dutch versions."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from events.models import EventIndexPage, EventPage

TITLES = {"en": "Diaspora career day", "fr": "Journée carrière", "nl": "Loopbaandag"}


def make_event(*, capacity=50, waitlist=True, start="future", closes=None, slug="career-day"):
    """The event in each language, keyed by language code. `start` is "future",
    "past", None (date to be announced) or a datetime."""
    now = timezone.now()
    if start == "future":
        start = now + timedelta(days=30)
    elif start == "past":
        start = now - timedelta(days=30)
    index = EventIndexPage.objects.get(locale=Locale.get_default())
    event = EventPage(
        title=TITLES["en"],
        slug=slug,
        introduction="A day to meet employers.",
        start=start,
        end=start + timedelta(hours=3) if start else None,
        date_to_be_announced=start is None,
        city="Brussels",
        venue_name="Residence Palace",
        registration_mode="on_site",
        capacity=capacity,
        waitlist=waitlist,
        registration_closes=closes,
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    pages = {"en": event}
    for code in ("fr", "nl"):
        translation = event.copy_for_translation(Locale.objects.get(language_code=code))
        translation.title = TITLES[code]
        translation.save_revision().publish()
        pages[code] = EventPage.objects.get(pk=translation.pk)
    return pages


def register_url(page):
    return f"/{page.locale.language_code}/events/{page.pk}/register/"


def form_data(email="amina@example.org", **overrides):
    data = {
        "name": "Amina Diallo",
        "email": email,
        "organisation": "",
        "diaspora_member": "on",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data
