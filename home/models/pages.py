"""The home page and the general-purpose pages: standard pages and forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.blocks import INLINE_FEATURES, TEXT_FEATURES, BaseContentBlock
from home.forms_builder import TranslatedChoicesFormBuilder
from home.models.base import BasePage, ListingFieldsMixin, StreamBodyMixin
from home.models.forms import CombinedSubmissionsPanel, PublicFormMixin, TranslatableFormField


class HomePage(StreamBodyMixin, BasePage):
    hero_heading = models.CharField(
        _("heading"),
        max_length=160,
        help_text=_("The first thing visitors read, in large type."),
    )
    hero_text = RichTextField(_("introduction"), features=INLINE_FEATURES, blank=True)
    body = StreamField(BaseContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_text")], heading=_("Welcome")
        ),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.CountryIndexPage",
        "home.ProjectIndexPage",
        "home.StandardPage",
        "home.FormPage",
        "stories.StoryIndexPage",
        "events.EventIndexPage",
        "newsletter.NewsletterIndexPage",
    ]
    template = "pages/home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_sections()
        return context

    def get_sections(self):
        """Each section index below the home page with its latest items.

        Index pages that offer `home_section_items()` are shown, in tree order;
        the home page needs no knowledge of what they hold. A section whose index
        sets `home_section_compact` is a list of links rather than cards.
        """
        sections = []
        for index_page in self.get_children().live().public().specific():
            section_items = getattr(index_page, "home_section_items", None)
            if section_items is None:
                continue
            items = list(section_items())
            if items:
                sections.append(
                    {
                        "page": index_page,
                        "items": items,
                        "compact": getattr(index_page, "home_section_compact", False),
                    }
                )
        return sections


class StandardPage(StreamBodyMixin, BasePage):
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "home.FormPage"]
    template = "pages/home/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class FormField(TranslatableFormField):
    """A field of a form page. Its internal name stays the same in every language
    so that the answers of all language versions line up."""

    page = ParentalKey("home.FormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(TranslatableFormField.Meta):
        verbose_name = _("form field")


class FormPage(PublicFormMixin, ListingFieldsMixin, AbstractEmailForm):
    """A form visitors fill in on the site: the survey, the contact form. The
    answers of its language versions form one result (see home.models.forms)."""

    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(
        _("thank-you text"),
        features=INLINE_FEATURES,
        blank=True,
        help_text=_("Shown after the form is sent."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        CombinedSubmissionsPanel(),
        FieldPanel("introduction"),
        InlinePanel("form_fields", label=_("Form fields"), min_num=1),
        FieldPanel("consent_text"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Email notification"),
            help_text=_(
                "Optional: also email each answer to these addresses "
                "(comma-separated). Answers are always stored in the admin."
            ),
        ),
    ]
    promote_panels = [*AbstractEmailForm.promote_panels, *ListingFieldsMixin.listing_panels]
    search_fields = [
        *AbstractEmailForm.search_fields,
        index.SearchField("introduction"),
        index.FilterField("locale"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []
    form_builder = TranslatedChoicesFormBuilder
    template = "pages/home/form_page.html"
    landing_page_template = "pages/home/form_page_landing.html"

    class Meta:
        verbose_name = _("form page")

    @property
    def summary(self):
        return self.listing_summary or self.search_description
