"""Registering for an event, cancelling, and the waiting list.

Every decision about a place happens in a transaction that first locks the
event's `EventPlaces` row (`select_for_update`: on PostgreSQL, concurrent
registrations for one event queue up behind it; SQLite locks the whole database
for a write anyway). Under that lock the counter `confirmed` and the
registrations agree, and the database's check constraint refuses an overbooking
should anything ever get past the lock.
"""

import enum
import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from events.models import EventPage, EventPlaces, Registration, RegistrationMode

logger = logging.getLogger(__name__)

Status = Registration.Status
ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)

CONSENT_TEXT = _(
    "I agree that my name, email address and organisation are stored to manage my "
    "registration for this event, and deleted at the latest %(months)s months after it."
)
CANCEL_SALT = "events.registration.cancel"


def consent_text():
    """The consent sentence in the active language, as the visitor reads it."""
    return str(CONSENT_TEXT) % {"months": settings.EVENTS_REGISTRATION_RETENTION_MONTHS}


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    FULL = "full"
    CLOSED = "closed"
    ALREADY_REGISTERED = "already_registered"


# --- The English page decides -----------------------------------------------------

# Language-neutral fields that wagtail-localize copies into a translation only when
# the translation is next synchronised. Until then a French or Dutch page may hold
# the old values, so dates and places are always read from the English page.
SOURCE_FIELDS = (
    "start",
    "end",
    "all_day",
    "date_to_be_announced",
    "registration_mode",
    "capacity",
    "waitlist",
    "registration_closes",
)


def take_source_settings(page):
    """Put the English page's dates and registration settings on `page` (in memory
    only; nothing is saved). Returns `page`."""
    default_locale_id = Locale.get_default().pk
    if page.locale_id == default_locale_id:
        return page
    source = (
        EventPage.objects.live()
        .filter(translation_key=page.translation_key, locale_id=default_locale_id)
        .only(*SOURCE_FIELDS)
        .first()
    )
    if source is not None:
        _copy_source_fields(source, page)
    return page


def _copy_source_fields(source, page):
    for name in SOURCE_FIELDS:
        setattr(page, name, getattr(source, name))


# --- Whether and how one registers -----------------------------------------------


def takes_registrations(page):
    return page.registration_mode == RegistrationMode.ON_SITE and bool(page.capacity)


def is_open(page, now=None):
    """Registration on this site is open: not past its closing time, nor past the
    start of the event (an event whose date is to be announced stays open)."""
    if not takes_registrations(page):
        return False
    now = now or timezone.now()
    if page.registration_closes and now >= page.registration_closes:
        return False
    return not (page.start and now >= page.start)


def places_for(page, *, create=True):
    """The event's places (shared by all its languages). Without `create`, None
    when nobody has registered and the page was never published with places."""
    if not create:
        return EventPlaces.objects.filter(event_key=page.translation_key).first()
    places, _created = EventPlaces.objects.get_or_create(
        event_key=page.translation_key,
        defaults={"capacity": page.capacity or 0, "title": _source_title(page)},
    )
    return places


def _source_title(page):
    """The English title (what staff search for), whichever version registers."""
    if page.locale_id == Locale.get_default().pk:
        return page.title
    source = page.get_translation_or_none(Locale.get_default())
    return source.title if source else page.title


def places_left(page):
    """How many places the event page says are left."""
    places = places_for(page, create=False)
    return page.capacity or 0 if places is None else places.available


# --- Registering -----------------------------------------------------------------


def register(page, *, name, email, organisation, diaspora_member, language):
    """Give the person a place, a place on the waiting list, or an answer saying
    why not. Returns (Outcome, Registration or None); stores nothing unless it
    is CONFIRMED or WAITLISTED. The confirmation email goes out after commit."""
    if not is_open(page):
        return Outcome.CLOSED, None
    places = places_for(page)
    try:
        with transaction.atomic():
            places = EventPlaces.objects.select_for_update().get(pk=places.pk)
            if places.registrations.filter(email=email, status__in=ACTIVE).exists():
                return Outcome.ALREADY_REGISTERED, None
            if places.confirmed < places.capacity:
                status = Status.CONFIRMED
                EventPlaces.objects.filter(pk=places.pk).update(confirmed=F("confirmed") + 1)
            elif page.waitlist:
                status = Status.WAITLISTED
            else:
                return Outcome.FULL, None
            now = timezone.now()
            registration = Registration.objects.create(
                places=places,
                name=name,
                email=email,
                organisation=organisation,
                diaspora_member=diaspora_member,
                language=language,
                status=status,
                consent_text=consent_text(),
                consent_at=now,
                created_at=now,
                status_changed_at=now,
                date_sent_at=now if page.start else None,
            )
            if page.start and places.announced_start is None:
                EventPlaces.objects.filter(pk=places.pk).update(announced_start=page.start)
    except IntegrityError:
        # A constraint refused the row: the same address registering twice at the
        # same moment, or one place too many. Neither gets past the lock; this is
        # the last line of defence, and the visitor still gets a clear answer.
        if Registration.objects.filter(places=places, email=email, status__in=ACTIVE).exists():
            return Outcome.ALREADY_REGISTERED, None
        return Outcome.FULL, None
    _email_after_commit(registration, "registered")
    return Outcome(status), registration


def waitlist_position(registration):
    """1 for the first person waiting: the list is in (created_at, pk) order."""
    ahead = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lte=registration.pk
    )
    return Registration.objects.filter(
        ahead, places_id=registration.places_id, status=Status.WAITLISTED
    ).count()


# --- Cancelling and the waiting list ---------------------------------------------


def cancel(registration_pk):
    """Cancel a registration; a place it held goes to the first person waiting.

    Returns (cancelled now, the promoted registration or None). Cancelling twice,
    even at the same moment, cancels once and promotes at most one person: the
    second call waits for the lock and then finds the registration cancelled.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.filter(pk=registration_pk).select_related("places").first()
        )
        if registration is None:
            return False, None
        places = EventPlaces.objects.select_for_update().get(pk=registration.places_id)
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            return False, None
        held_a_place = registration.status == Status.CONFIRMED
        _set_status(registration, Status.CANCELLED)
        promoted = None
        if held_a_place:
            EventPlaces.objects.filter(pk=places.pk).update(confirmed=F("confirmed") - 1)
            places.confirmed -= 1
            promoted = _fill_places(places)
    for person in promoted or ():
        _email_after_commit(person, "promoted")
    return True, (promoted[0] if promoted else None)


def _set_status(registration, status):
    registration.status = status
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at"])


def _fill_places(places):
    """Give free places to the first people waiting, in order. Call with the
    places row locked; returns those promoted."""
    free = places.capacity - places.confirmed
    if free <= 0:
        return []
    waiting = list(
        places.registrations.filter(status=Status.WAITLISTED).order_by("created_at", "pk")[:free]
    )
    for person in waiting:
        _set_status(person, Status.CONFIRMED)
    if waiting:
        EventPlaces.objects.filter(pk=places.pk).update(confirmed=F("confirmed") + len(waiting))
    return waiting


# --- When staff publish the event ------------------------------------------------


def event_published(page):
    """Bring the places in line with the published English page: more places
    go to the first people waiting; a date set (or moved) is announced to those
    registered. (Fewer places than are taken is refused in the editor.)"""
    if not takes_registrations(page):
        return
    places = places_for(page)
    with transaction.atomic():
        places = EventPlaces.objects.select_for_update().get(pk=places.pk)
        capacity = max(page.capacity, places.confirmed)
        EventPlaces.objects.filter(pk=places.pk).update(capacity=capacity, title=page.title)
        places.capacity = capacity
        promoted = _fill_places(places)
        announce = bool(page.start) and page.start != places.announced_start
        if announce:
            EventPlaces.objects.filter(pk=places.pk).update(announced_start=page.start)
    for person in promoted:
        _email_after_commit(person, "promoted")
    if announce and places.registrations.filter(status__in=ACTIVE).exists():
        from events.tasks import announce_date

        transaction.on_commit(lambda: announce_date.enqueue(str(page.translation_key)))


def taken_places(page):
    """How many places are taken, to refuse a capacity below it in the editor."""
    places = places_for(page, create=False)
    return places.confirmed if places else 0


# --- Signed cancel links ---------------------------------------------------------


def cancel_token(registration):
    return signing.dumps(registration.pk, salt=CANCEL_SALT, compress=True)


def registration_from_cancel_token(token):
    """The registration a cancel link is for, or None for a forged link or a
    registration that no longer exists (deleted after the event)."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Registration.objects.filter(pk=pk).select_related("places").first()


def event_for(registration, language=None):
    """The live page of the registration's event in `language` (the registrant's
    by default), or in English where that translation is missing or only an alias."""
    language = language or registration.language
    versions = {
        page.locale.language_code: page
        for page in EventPage.objects.live()
        .filter(translation_key=registration.places.event_key, alias_of__isnull=True)
        .select_related("locale")
    }
    english = versions.get(settings.LANGUAGE_CODE)
    page = versions.get(language) or english
    if page is not None and english is not None and page is not english:
        _copy_source_fields(english, page)
    return page


def _email_after_commit(registration, kind):
    from events.registration_emails import send_registration_email

    transaction.on_commit(lambda: send_registration_email(registration, kind))
