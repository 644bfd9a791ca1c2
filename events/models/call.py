"""Calls for cooperation: who may apply, how, and until when; optionally an
application form (fields made in the admin) that closes at the deadline."""

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import FormMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from events.models.call_forms import CallPageForm
from events.models.related import WHO_AND_WHAT_PANEL, RelatedPagesMixin, who_and_what_fields
from home.blocks import INLINE_FEATURES, TEXT_FEATURES, BaseContentBlock
from home.models import BasePage, StreamBodyMixin
from home.related import RelatedListing
from pagecache.lifetime import changes_at
from public_forms.builder import TranslatedChoicesFormBuilder
from public_forms.models import PublicFormMixin
from public_forms.panels import CombinedSubmissionsPanel
from public_forms.responses import message_page


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
    organisers, countries, project = who_and_what_fields("calls")
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
        WHO_AND_WHAT_PANEL,
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
    # Listed on the country and project pages it points at.
    related_listing = RelatedListing(
        heading=_("Calls for cooperation"), order_by=("-deadline",), position=40
    )
    search_result_label = pgettext_lazy("type of search result", "Call for cooperation")
    card_meta_template = "events/_call_when.html"
    card_tone = "violet"
    # Applications stay RETENTION["call_applications"] days after the deadline
    # (events/retention.py).
    submissions_retention = "call_applications"

    class Meta:
        verbose_name = _("call for cooperation")
        verbose_name_plural = _("calls for cooperation")

    def get_context(self, request, *args, **kwargs):
        changes_at(self.deadline)  # the call closes, and its form goes
        return super().get_context(request, *args, **kwargs)

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
