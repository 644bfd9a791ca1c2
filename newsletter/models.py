"""Newsletter issues, published on the web (emailing them is a later step)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.blocks import TEXT_FEATURES
from home.models import BasePage, StreamBodyMixin
from home.models.base import HOME_SECTION_ITEMS, paginate
from newsletter.blocks import NewsletterBodyBlock


class NewsletterIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count_per_parent = 1
    template = "pages/newsletter/newsletter_index_page.html"

    class Meta:
        verbose_name = _("newsletter index page")

    def get_issues(self):
        return (
            NewsletterIssuePage.objects.child_of(self)
            .live()
            .public()
            .with_listing_images()
            .order_by("-number")
        )

    def home_section_items(self):
        return self.get_issues()[:HOME_SECTION_ITEMS]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = paginate(request, self.get_issues())
        return context


class NewsletterIssuePage(StreamBodyMixin, BasePage):
    number = models.PositiveIntegerField(
        _("issue number"),
        help_text=_("Unique within each language: 1, 2, 3…"),
    )
    issue_date = models.DateField(_("issue date"))
    introduction = RichTextField(
        _("introduction"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The opening text of the issue."),
    )
    body = StreamField(NewsletterBodyBlock(), verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("number"), FieldPanel("issue_date")])],
            heading=_("Issue"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("number"),
    ]

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []
    template = "pages/newsletter/newsletter_issue_page.html"

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def clean(self):
        super().clean()
        # Checked here rather than with unique=True: wagtail-localize copies the
        # number into each translation, so issue 1 exists once per language.
        taken = (
            NewsletterIssuePage.objects.filter(locale_id=self.locale_id, number=self.number)
            .exclude(pk=self.pk)
            .exclude(translation_key=self.translation_key)
            .first()
        )
        if self.number is not None and taken:
            raise ValidationError(
                {
                    "number": _("Issue %(number)s already exists in this language: “%(title)s”.")
                    % {"number": self.number, "title": taken.title}
                }
            )
