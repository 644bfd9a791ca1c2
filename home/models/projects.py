"""Projects the office runs or supports, with their countries and funders."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.admin_forms import SourceLocaleChoicesForm
from home.blocks import TEXT_FEATURES, BaseContentBlock
from home.i18n import localized
from home.models.base import HOME_SECTION_ITEMS, BasePage, StreamBodyMixin, paginate
from home.models.snippets import Partner
from home.prepared import PreparedListing, prepared
from home.related import RelatedListing, related_sections


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Figure"), max_length=20, help_text=_("For example: 30."))
    label = blocks.CharBlock(
        label=_("What it counts"),
        max_length=120,
        help_text=_("For example: skilled diaspora members relocated temporarily."),
    )

    class Meta:
        label = _("Key figure")
        icon = "order"
        template = "components/blocks/key_figure.html"
        description = _("A key figure of the project, such as how many people take part.")
        preview_value = {"figure": "30", "label": "skilled diaspora members"}


# The latest first.
PROJECT_ORDER = ("-start_date", "title")


class ProjectIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ProjectPage"]
    max_count_per_parent = 1
    template = "pages/home/project_index_page.html"

    class Meta:
        verbose_name = _("project index page")

    def get_projects(self):
        return (
            ProjectPage.objects.child_of(self)
            .live()
            .public()
            .with_listing_images()
            .order_by(*PROJECT_ORDER)
        )

    home_section_order = 50  # last (home.HomePage.get_sections)

    @property
    def home_section_latest(self):
        return (ProjectPage, PROJECT_ORDER)

    def home_section_items(self):
        return prepared(
            ("project index: home section", self.pk, self.path),
            lambda: self.get_projects()[:HOME_SECTION_ITEMS],
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        projects = PreparedListing(
            ("project index: projects", self.pk, self.path), self.get_projects
        )
        context["projects"] = paginate(request, projects)
        return context


class ProjectPage(StreamBodyMixin, BasePage):
    introduction = models.TextField(
        _("introduction"), help_text=_("What the project does, in a few sentences.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    countries = ParentalManyToManyField(
        "home.CountryPage",
        verbose_name=_("countries"),
        blank=True,
        related_name="projects",
        help_text=_("The countries the project works with."),
    )
    funders = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("funders"),
        blank=True,
        related_name="funded_projects",
    )
    partners = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("partners"),
        blank=True,
        related_name="partner_projects",
    )
    key_figures = StreamField(
        [("figure", KeyFigureBlock())],
        verbose_name=_("key figures"),
        blank=True,
    )
    body = StreamField(BaseContentBlock(), verbose_name=_("body"), blank=True)
    website = models.URLField(
        _("more information"),
        blank=True,
        help_text=_("Optional: the project's own page elsewhere."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
                FieldPanel("funders", widget=forms.CheckboxSelectMultiple),
                FieldPanel("partners", widget=forms.CheckboxSelectMultiple),
                FieldPanel("website"),
            ],
            heading=_("About the project"),
        ),
        FieldPanel("key_figures"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    # Listed on the country pages it points at.
    related_listing = RelatedListing(heading=_("Projects"), order_by=("title",), position=10)
    base_form_class = SourceLocaleChoicesForm
    parent_page_types = ["home.ProjectIndexPage"]
    subpage_types = []
    template = "pages/home/project_page.html"
    search_result_label = pgettext_lazy("type of search result", "Project")
    card_meta_template = "home/_project_card_meta.html"

    class Meta:
        verbose_name = _("project page")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The project cannot end before it starts.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        funders, partners = self.funders_and_partners()
        context.update(
            countries=self.localized_countries(),
            funders=funders,
            partners=partners,
            related=related_sections(self),
        )
        return context

    def localized_countries(self):
        """The project's countries in its language, by title."""

        def build():
            countries = localized(self.countries.all(), self.locale_id)
            return countries.defer_streamfields().order_by("title")

        return self._prepared("countries", build=build)

    def funders_and_partners(self):
        """The funders and the partners, each in the page's language, in one query:
        every organisation of either list, marked with the lists it belongs to."""

        def build():
            funders, partners = self.funders.all(), self.partners.all()
            chosen = Partner.objects.filter(
                Q(pk__in=funders.values("pk")) | Q(pk__in=partners.values("pk"))
            )
            organisations = localized(chosen, self.locale_id).select_related("logo")
            return organisations.annotate(
                is_funder=Exists(funders.filter(translation_key=OuterRef("translation_key"))),
                is_partner=Exists(partners.filter(translation_key=OuterRef("translation_key"))),
            )

        organisations = list(self._prepared("funders", "partners", build=build))
        return (
            [organisation for organisation in organisations if organisation.is_funder],
            [organisation for organisation in organisations if organisation.is_partner],
        )

    def _prepared(self, *relations, build):
        """`build()`, its SQL prepared for this page (home.prepared) while the
        `relations` it reads are those saved; a preview's edited ones are in memory,
        and read as they are."""
        if set(relations) & set(getattr(self, "_cluster_related_objects", {})):
            return build()
        return prepared(("project page", *relations, self.pk, self.locale_id), build)
