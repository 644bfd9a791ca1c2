"""Events: congresses, info sessions, meetings. Dates are in Brussels time, or "to be
announced"; registration is on another website or on this one, with places shared
by the event's language versions (events/models/registration.py)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from events.models.registration import EventPlaces
from events.models.related import WHO_AND_WHAT_PANEL, RelatedPagesMixin, who_and_what_fields
from home.admin_forms import SourceLocaleChoicesForm
from home.blocks import INLINE_FEATURES, BaseContentBlock
from home.i18n import live_versions, source_language
from home.models import BasePage, StreamBodyMixin
from home.models.translation_state import written_in_own_language
from home.related import RelatedListing


class RegistrationMode(models.TextChoices):
    NONE = "none", _("No registration")
    EXTERNAL = "external", _("On another website")
    ON_SITE = "on_site", _("On this site")


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


class EventPage(RelatedPagesMixin, StreamBodyMixin, BasePage):
    introduction = models.TextField(
        _("introduction"), help_text=_("What the event is about, in a few sentences.")
    )
    start = models.DateTimeField(
        _("starts"),
        null=True,
        blank=True,
        help_text=_("Brussels time. Leave empty while the date is to be announced."),
    )
    end = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Brussels time."))
    all_day = models.BooleanField(
        _("date only"),
        default=False,
        help_text=_("Tick when only the day is known: the page shows no time."),
    )
    date_to_be_announced = models.BooleanField(
        _("date to be announced"),
        default=False,
        help_text=_("Tick while the date is not known yet; the page says so."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    online_url = models.URLField(
        _("online at"),
        blank=True,
        help_text=_("For an online or hybrid event: where to join."),
    )
    organisers, countries, project = who_and_what_fields("events")
    registration_mode = models.CharField(
        _("registration"),
        max_length=20,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    registration_url = models.URLField(
        _("registration address"),
        blank=True,
        help_text=_("Where to register, when registration is on another website."),
    )
    registration_note = RichTextField(
        _("registration note"),
        features=INLINE_FEATURES,
        blank=True,
        help_text=_("For example a discount for diaspora members, or 'first come, first served'."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("For registration on this site: how many people can attend."),
    )
    waitlist = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When places run out, offer a place on the waiting list."),
    )
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    body = StreamField(BaseContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("date_to_be_announced"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldRowPanel([FieldPanel("venue_address"), FieldPanel("city")]),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
            help_text=_("A venue, an online address, or both."),
        ),
        WHO_AND_WHAT_PANEL,
        MultiFieldPanel(
            [
                FieldPanel("registration_mode", widget=forms.RadioSelect),
                FieldPanel("registration_url"),
                FieldPanel("registration_note"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waitlist")]),
                FieldPanel("registration_closes"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("venue_name"),
        index.SearchField("city"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]

    base_form_class = SourceLocaleChoicesForm
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "pages/events/event_page.html"
    # Listed on the country and project pages it points at, and in country feeds.
    related_listing = RelatedListing(
        heading=_("Events"),
        order_by=("-start",),
        position=30,
        in_feed=True,
        note_template="events/_country_calendar_link.html",
    )
    search_result_label = pgettext_lazy("type of search result", "Event")
    card_meta_template = "events/_when.html"
    card_tone = "green"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if self.date_to_be_announced and self.start:
            errors["date_to_be_announced"] = _(
                "Untick 'date to be announced' now that the event has a start date."
            )
        if not self.date_to_be_announced and not self.start:
            errors["start"] = _("Enter when the event starts, or tick 'date to be announced'.")
        if self.end and not self.start:
            errors["end"] = _("An event with an end needs a start.")
        elif self.start and self.end and self.end < self.start:
            errors["end"] = _("The event cannot end before it starts.")
        if self.registration_mode == RegistrationMode.EXTERNAL and not self.registration_url:
            errors["registration_url"] = _(
                "Enter the address where people register, or choose another registration mode."
            )
        if self.registration_mode == RegistrationMode.ON_SITE and not self.capacity:
            errors["capacity"] = _("Enter how many places there are for registration on this site.")
        elif self.registration_mode == RegistrationMode.ON_SITE and self.translation_key:
            places = EventPlaces.objects.for_event(self, create=False)
            taken = places.confirmed if places else 0
            if self.capacity < taken:
                errors["capacity"] = _(
                    "%(taken)s people already have a place: there cannot be fewer places "
                    "than that. Cancel registrations first if you must."
                ) % {"taken": taken}
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        # The dates and places staff set on the English page hold at once in every
        # language, before the translation is next synchronised. (The registration
        # form and places left come from events/templatetags/registration_tags.py.)
        self.take_source_settings()
        return super().get_context(request, *args, **kwargs)

    # --- The English page decides -------------------------------------------------

    def take_source_settings(self):
        """Put the English page's dates and registration settings on this page (in
        memory only; nothing is saved). Returns the page.

        The English page is one of the page's live language versions, which the
        page's language switcher and metadata fetch anyway (`live_versions`)."""
        source = live_versions(self).get(source_language())
        if source is not None and source.locale_id != self.locale_id:
            self.copy_source_fields(source)
        return self

    def copy_source_fields(self, source):
        for name in SOURCE_FIELDS:
            setattr(self, name, getattr(source, name))

    @classmethod
    def for_registrant(cls, event_key, language):
        """The live page of the event `event_key` in `language`, or in English where
        that translation is missing or only an alias, with the English page's dates."""
        versions = {
            page.locale.language_code: page
            for page in written_in_own_language(
                cls.objects.live().filter(translation_key=event_key)
            ).select_related("locale")
        }
        english = versions.get(settings.LANGUAGE_CODE)
        page = versions.get(language) or english
        if page is not None and english is not None and page is not english:
            page.copy_source_fields(english)
        return page

    # --- Registration on this site ------------------------------------------------

    @property
    def takes_registrations(self):
        return self.registration_mode == RegistrationMode.ON_SITE and bool(self.capacity)

    def registration_closes_at(self):
        """When registration on this site closes by itself: its closing time or the
        start of the event, whichever comes first (None: neither is set)."""
        return min(filter(None, (self.registration_closes, self.start)), default=None)

    def registration_is_open(self, now=None):
        """Registration on this site is open: not past its closing time, nor past the
        start of the event (an event whose date is to be announced stays open)."""
        if not self.takes_registrations:
            return False
        now = now or timezone.now()
        if self.registration_closes and now >= self.registration_closes:
            return False
        return not (self.start and now >= self.start)

    def places_left(self):
        """How many places the event page says are left."""
        places = EventPlaces.objects.for_event(self, create=False)
        return self.capacity or 0 if places is None else places.available

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def has_date(self):
        return self.start is not None
