"""Events (congresses, info sessions, meetings) and calls for cooperation."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.blocks import INLINE_FEATURES, TEXT_FEATURES, BaseContentBlock
from home.forms import SourceLocaleChoicesForm
from home.i18n import localize_pages, localized
from home.models import BasePage, StreamBodyMixin
from home.models.base import HOME_SECTION_ITEMS, paginate


class RegistrationMode(models.TextChoices):
    NONE = "none", _("No registration")
    EXTERNAL = "external", _("On another website")
    ON_SITE = "on_site", _("On this site")


class RelatedPagesMixin:
    """Countries, organisers and project of an event or call, in the page's language."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            countries=localized(self.countries.all(), self.locale_id).order_by("title"),
            organisers=localized(self.organisers.all(), self.locale_id).select_related("logo"),
            project=localize_pages([self.project], self.locale_id).get(self.project_id),
        )
        return context


class EventIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage", "events.CallPage"]
    max_count_per_parent = 1
    template = "pages/events/event_index_page.html"

    class Meta:
        verbose_name = _("event index page")

    def _events(self):
        return EventPage.objects.child_of(self).live().public().with_listing_images()

    def get_upcoming_events(self):
        """Events not yet over, soonest first; those whose date is to be announced last."""
        now = timezone.now()
        return (
            self._events()
            .filter(Q(start__isnull=True) | Q(end__gte=now) | Q(end__isnull=True, start__gte=now))
            .order_by(models.F("start").asc(nulls_last=True), "title")
        )

    def get_past_events(self):
        now = timezone.now()
        return (
            self._events()
            .exclude(start__isnull=True)
            .filter(Q(end__lt=now) | Q(end__isnull=True, start__lt=now))
            .order_by("-start")
        )

    def get_calls(self):
        return (
            CallPage.objects.child_of(self)
            .live()
            .public()
            .with_listing_images()
            .order_by(models.F("deadline").desc(nulls_last=True), "title")
        )

    def home_section_items(self):
        """Upcoming events first; the latest past ones while none is announced."""
        upcoming = list(self.get_upcoming_events()[:HOME_SECTION_ITEMS])
        return upcoming or self.get_past_events()[:HOME_SECTION_ITEMS]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            upcoming_events=self.get_upcoming_events(),
            past_events=paginate(request, self.get_past_events()),
            calls=self.get_calls(),
        )
        return context


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
    organisers = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
    )
    countries = ParentalManyToManyField(
        "home.CountryPage",
        verbose_name=_("countries"),
        blank=True,
        related_name="events",
    )
    project = models.ForeignKey(
        "home.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
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
        MultiFieldPanel(
            [
                FieldPanel("organisers", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
                FieldPanel("project"),
            ],
            heading=_("Who and what"),
        ),
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
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def has_date(self):
        return self.start is not None


class CallPage(RelatedPagesMixin, StreamBodyMixin, BasePage):
    """A call for cooperation: who may apply, how, and until when."""

    introduction = models.TextField(
        _("introduction"), help_text=_("What the call is about, in a few sentences.")
    )
    deadline = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("Brussels time. Leave empty for a call that stays open."),
    )
    eligibility = RichTextField(_("who may apply"), features=TEXT_FEATURES, blank=True)
    how_to_apply = RichTextField(_("how to apply"), features=TEXT_FEATURES, blank=True)
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Where applicants write to."),
    )
    organisers = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_calls",
    )
    countries = ParentalManyToManyField(
        "home.CountryPage",
        verbose_name=_("countries"),
        blank=True,
        related_name="calls",
    )
    project = models.ForeignKey(
        "home.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    body = StreamField(BaseContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("introduction"),
        FieldPanel("deadline"),
        FieldPanel("eligibility"),
        MultiFieldPanel(
            [FieldPanel("how_to_apply"), FieldPanel("contact_email")], heading=_("Applying")
        ),
        MultiFieldPanel(
            [
                FieldPanel("organisers", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
                FieldPanel("project"),
            ],
            heading=_("Who and what"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("eligibility"),
        index.SearchField("body"),
    ]

    base_form_class = SourceLocaleChoicesForm
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "pages/events/call_page.html"

    class Meta:
        verbose_name = _("call for cooperation")
        verbose_name_plural = _("calls for cooperation")

    @property
    def is_open(self):
        return self.deadline is None or self.deadline >= timezone.now()
