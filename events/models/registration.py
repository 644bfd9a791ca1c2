"""Places and registrations for events that take registrations on this site.

The English, French and Dutch pages of one event are three page rows, and any
counter kept on a page row would be overwritten by the next publish or
translation sync. So the places live here, in one row per event keyed by the
pages' shared `translation_key`, and every decision about a place locks that row
(see events/registering.py). The check constraint is the last line of defence:
the database refuses more confirmed registrations than places.
"""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

CONSENT_TEXT = _(
    "I agree that my name, email address and organisation are stored to manage my "
    "registration for this event, and deleted at the latest %(months)s months after it."
)


def consent_text():
    """The registration's consent sentence in the active language, as the visitor
    reads it (and as the registration stores it)."""
    return str(CONSENT_TEXT) % {"months": settings.EVENTS_REGISTRATION_RETENTION_MONTHS}


def places_counter(event_key):
    """The page cache's counter for the places of the event `event_key` (its pages'
    translation key): the event pages, in every language, depend on it."""
    return f"event-places:{event_key}"


class EventPlacesQuerySet(models.QuerySet):
    def for_event(self, page, *, create=True):
        """The places of the event `page` (any of its languages). Without `create`,
        None when nobody has registered and the page was never published with places."""
        if not create:
            return self.filter(event_key=page.translation_key).first()
        places, _created = self.get_or_create(
            event_key=page.translation_key,
            defaults={"capacity": page.capacity or 0, "title": _source_title(page)},
        )
        return places


def _source_title(page):
    """The English title (what staff search for), whichever version registers."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page.title
    source = page.get_translation_or_none(default)
    return source.title if source else page.title


class EventPlaces(models.Model):
    """The places of one event, shared by all its language versions."""

    event_key = models.UUIDField(
        _("event"), unique=True, help_text=_("The translation key of the event's pages.")
    )
    # The English title, kept for the admin's lists and filters (updated on publish).
    title = models.CharField(_("title"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("places"), default=0)
    confirmed = models.PositiveIntegerField(_("places taken"), default=0)
    # The start date last announced to those registered, so that setting the
    # date of an event "to be announced" (or moving it) is announced once.
    announced_start = models.DateTimeField(_("date announced"), null=True, blank=True)

    objects = EventPlacesQuerySet.as_manager()

    class Meta:
        verbose_name = _("event places")
        verbose_name_plural = _("event places")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed__lte=F("capacity")), name="events_places_not_overbooked"
            )
        ]

    def __str__(self):
        return self.title or str(self.event_key)

    @property
    def available(self):
        return max(self.capacity - self.confirmed, 0)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Has a place")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    places = models.ForeignKey(
        EventPlaces,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    diaspora_member = models.BooleanField(_("member of the diaspora"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # The consent this registration was given under, word for word, and when.
    consent_text = models.TextField(_("consent given"))
    consent_at = models.DateTimeField(_("consent given on"))
    created_at = models.DateTimeField(_("registered on"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    # When this person last received an email stating the event's date (for an
    # event registered while its date was to be announced, that comes later).
    date_sent_at = models.DateTimeField(_("date sent on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent on"), null=True, blank=True)

    # A registration changes the event's pages only (the places left), not the whole
    # site: events/signals.py empties just those (pagecache's `shown_on_pages`).
    shown_on_pages = False

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One email registers once per event, whatever the language; a
            # cancelled registration no longer counts.
            models.UniqueConstraint(
                fields=["places", "email"],
                condition=~Q(status="cancelled"),
                name="events_one_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["places", "status", "created_at"])]

    def __str__(self):
        # Never the address or the name: this shows up in logs and admin history.
        return f"#{self.pk}"

    @admin.display(description=_("event"), ordering="places__title")
    def event(self):
        return self.places.title

    def waitlist_position(self):
        """1 for the first person waiting: the list is in (created_at, pk) order."""
        ahead = Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lte=self.pk)
        return Registration.objects.filter(
            ahead, places_id=self.places_id, status=self.Status.WAITLISTED
        ).count()
