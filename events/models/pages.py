"""Events (congresses, info sessions, meetings) and calls for cooperation."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import FormMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from events import listing
from events.models.call_forms import CallPageForm
from home.blocks import INLINE_FEATURES, TEXT_FEATURES, BaseContentBlock
from home.forms import SourceLocaleChoicesForm
from home.forms_builder import TranslatedChoicesFormBuilder
from home.i18n import localized
from home.models import BasePage, ProjectPage, StreamBodyMixin
from home.models.base import HOME_SECTION_ITEMS, paginate
from home.models.forms import CombinedSubmissionsPanel, PublicFormMixin
from home.public_forms import message_page


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
            # By id: fetching `self.project` first would cost a query of its own.
            project=localized(
                ProjectPage.objects.filter(pk=self.project_id), self.locale_id
            ).first()
            if self.project_id
            else None,
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
        return (
            self._events()
            .filter(listing.upcoming_event_q(timezone.now()))
            .order_by(models.F("start").asc(nulls_last=True), "title")
        )

    def get_past_events(self):
        return self._events().filter(listing.past_event_q(timezone.now())).order_by("-start")

    def home_section_items(self):
        """Upcoming events first; the latest past ones while none is announced."""
        upcoming = list(self.get_upcoming_events()[:HOME_SECTION_ITEMS])
        return upcoming or self.get_past_events()[:HOME_SECTION_ITEMS]

    def get_context(self, request, *args, **kwargs):
        """Upcoming and past events and calls, each list paginated, filtered by the
        `country` (ISO code) and `kind` GET parameters; unknown values are ignored."""
        context = super().get_context(request, *args, **kwargs)
        children = listing.visible_children(self)
        countries = listing.filter_countries(children, self.locale_id)
        country = request.GET.get("country", "").upper()
        if country not in {str(page.country) for page in countries}:
            country = ""
        kind = request.GET.get("kind", "")
        if kind not in dict(listing.KIND_CHOICES):
            kind = ""
        filters = {"kind": kind or None, "country": country or None}
        upcoming = paginate(request, listing.events_and_calls(children, upcoming=True, **filters))
        past = paginate(
            request,
            listing.events_and_calls(children, upcoming=False, **filters),
            param="past_page",
        )
        listing.specific_pages(upcoming, past)
        context.update(
            upcoming=upcoming,
            past=past,
            countries=countries,
            kinds=listing.KIND_CHOICES,
            current_country=country,
            current_kind=kind,
            filtered=bool(country or kind),
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
        elif self.registration_mode == RegistrationMode.ON_SITE and self.translation_key:
            from events.registration import taken_places

            taken = taken_places(self)
            if self.capacity < taken:
                errors["capacity"] = _(
                    "%(taken)s people already have a place: there cannot be fewer places "
                    "than that. Cancel registrations first if you must."
                ) % {"taken": taken}
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from events import registration

        # The dates and places staff set on the English page hold at once in every
        # language, before the translation is next synchronised.
        registration.take_source_settings(self)
        context = super().get_context(request, *args, **kwargs)
        if self.registration_mode == RegistrationMode.ON_SITE:
            from events.forms import RegistrationForm

            context.update(
                registration_open=registration.is_open(self),
                places_left=registration.places_left(self),
                form=RegistrationForm(),
            )
        return context

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def has_date(self):
        return self.start is not None


class CallPage(PublicFormMixin, FormMixin, RelatedPagesMixin, StreamBodyMixin, BasePage):
    """A call for cooperation: who may apply, how, and until when; optionally an
    application form (fields made in the admin) that closes at the deadline."""

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
    thank_you_text = RichTextField(
        _("thank-you text"),
        features=INLINE_FEATURES,
        blank=True,
        help_text=_("Shown after an application is sent."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("introduction"),
        FieldPanel("deadline"),
        FieldPanel("eligibility"),
        MultiFieldPanel(
            [FieldPanel("how_to_apply"), FieldPanel("contact_email")], heading=_("Applying")
        ),
        CombinedSubmissionsPanel(heading=_("Applications")),
        MultiFieldPanel(
            [
                InlinePanel("form_fields", label=_("Form fields")),
                FieldPanel("consent_text"),
                FieldPanel("thank_you_text"),
            ],
            heading=_("Application form"),
            help_text=_(
                "Optional: the questions of a form to apply on this page. It closes by "
                "itself at the deadline. Leave it without fields to take no applications "
                "here."
            ),
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

    base_form_class = CallPageForm
    form_builder = TranslatedChoicesFormBuilder
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "pages/events/call_page.html"
    landing_page_template = "pages/events/call_page_landing.html"

    class Meta:
        verbose_name = _("call for cooperation")
        verbose_name_plural = _("calls for cooperation")

    @property
    def is_open(self):
        return self.deadline is None or self.deadline >= timezone.now()

    def submission_refusal(self, request):
        if not self.is_open:
            return message_page(
                request,
                _("This call is closed"),
                _(
                    "The deadline of this call has passed: it no longer takes applications. "
                    "Your application was not sent."
                ),
                status=400,
            )
        if not self.form_fields.exists():
            raise Http404
        return None
