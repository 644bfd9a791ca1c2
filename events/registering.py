"""Registering for an event, cancelling, and the waiting list.

Every decision about a place happens in a transaction that first locks the
event's `EventPlaces` row (`select_for_update`: on PostgreSQL, concurrent
registrations for one event queue up behind it; SQLite locks the whole database
for a write anyway). Under that lock the counter `confirmed` and the
registrations agree, and the database's check constraint refuses an overbooking
should anything ever get past the lock.

Registering again with an address already registered for the event changes
nothing and tells the visitor nothing more than a first registration would: the
answer page is the same, and the person behind the address gets an email saying
they were already registered (at most one an hour per registration, so the form
cannot be used to flood their mailbox).
"""

import enum
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from events.models import EventPlaces, Registration
from events.models.registration import consent_text
from events.tasks import announce_date, email_registrant
from security.rate_limits import over_limit

logger = logging.getLogger(__name__)

Status = Registration.Status
ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)
# "You were already registered" emails per registration, and in how many seconds.
ALREADY_REGISTERED_EMAIL_RATE = (1, 3600)


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    FULL = "full"
    CLOSED = "closed"
    ALREADY_REGISTERED = "already_registered"


# --- Registering -----------------------------------------------------------------


def register(page, *, name, email, organisation, diaspora_member, language):
    """Give the person a place, a place on the waiting list, or an answer saying
    why not. Returns (Outcome, Registration or None); stores nothing unless it
    is CONFIRMED or WAITLISTED. The confirmation email is queued after commit.
    ALREADY_REGISTERED comes with the registration the address already has, which
    is emailed about it (see the module's docstring)."""
    if not page.registration_is_open():
        return Outcome.CLOSED, None
    places = EventPlaces.objects.for_event(page)
    try:
        with transaction.atomic():
            places = EventPlaces.objects.select_for_update().get(pk=places.pk)
            existing = places.registrations.filter(email=email, status__in=ACTIVE).first()
            if existing is not None:
                return _already_registered(existing)
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
        existing = Registration.objects.filter(
            places=places, email=email, status__in=ACTIVE
        ).first()
        if existing is not None:
            return _already_registered(existing)
        return Outcome.FULL, None
    _email_after_commit(registration, "registered")
    return Outcome(status), registration


def _already_registered(registration):
    if not over_limit(f"already-registered:{registration.pk}", ALREADY_REGISTERED_EMAIL_RATE):
        _email_after_commit(registration, "already_registered")
    return Outcome.ALREADY_REGISTERED, registration


def answer_for_newcomer(page):
    """What a first registration would be answered now: the page a second one
    shows, so that the answer never tells whether an address is registered."""
    places = EventPlaces.objects.for_event(page, create=False)
    if places is not None and places.available == 0 and not page.waitlist:
        return Outcome.FULL
    return Outcome.CONFIRMED


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
    if not page.takes_registrations:
        return
    places = EventPlaces.objects.for_event(page)
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
        transaction.on_commit(lambda: announce_date.enqueue(str(page.translation_key)))


def _email_after_commit(registration, kind):
    """Queue the email once the registration is stored: the visitor's request only
    writes a task row ("emails" queue), it never waits for the mail server. Should
    even that fail, the registration stands (robust: logged, not raised)."""
    transaction.on_commit(lambda: email_registrant.enqueue(registration.pk, kind), robust=True)
