"""The home page and the general-purpose pages: standard pages and forms."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from home.blocks import INLINE_FEATURES, TEXT_FEATURES, BaseContentBlock
from home.first_of_each import first_of_each
from home.models.base import (
    HOME_SECTION_ITEMS,
    BasePage,
    ListingFieldsMixin,
    StreamBodyMixin,
    ViewRestrictionsMixin,
    public,
)
from home.page_urls import WagtailUrlsMixin
from home.prepared import prepared
from home.stream_loading import load_stream
from public_forms.builder import TranslatedChoicesFormBuilder
from public_forms.models import PublicFormMixin, TranslatableFormField
from public_forms.panels import CombinedSubmissionsPanel

# Where a section goes when its index page type says nothing: after those that do.
DEFAULT_SECTION_ORDER = 1000


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
    template = "pages/home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def localize_body(self):
        # Its body chooses pages: fetched with their French or Dutch versions at
        # once (home.stream_loading), one query fewer than Wagtail's conversion.
        load_stream(self.body, self.locale_id)

    @classmethod
    def clean_subpage_models(cls):
        """Below the home page: every page type that says it lives there (in its
        `parent_page_types`), so the home page names none of the apps' index pages.
        Wagtail's own `Page`, which says nothing, is no page of the site."""
        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [model for model in get_page_models() if model is not Page]
        return cls._clean_subpage_models

    def route(self, request, path_components):
        """Find the page at `path_components` below this home page in two queries.

        Wagtail walks the path one level at a time, two queries a level (the child,
        then its specific row). Every page has its `url_path`, so the pages along the
        path can be fetched at once; only the last one needs its specific row, which
        comes with what every page shows (its locale and listing image). Each page
        keeps its parent, so breadcrumbs need no query either. A page on the way
        with routing of its own (none so far), or a path that matches no page, is
        left to Wagtail.
        """
        if not path_components:
            return super().route(request, path_components)
        url_paths = [
            f"{self.url_path}{'/'.join(path_components[:depth])}/"
            for depth in range(1, len(path_components) + 1)
        ]
        chain = list(
            Page.objects.filter(url_path__in=url_paths, path__startswith=self.path)
            .exclude(pk=self.pk)
            .order_by("depth")
        )
        parent = self
        for page in chain:
            page._cached_parent_obj = parent
            parent = page
        complete = [page.url_path for page in chain] == url_paths
        models = [page.specific_class for page in chain]
        if not complete or any(model is None or model.route is not Page.route for model in models):
            return super().route(request, path_components)
        last, model = chain[-1], models[-1]
        related = [name for name in ("locale", "listing_image") if _has_field(model, name)]
        page = model._default_manager.select_related(*related).get(pk=last.pk)
        page._cached_parent_obj = last._cached_parent_obj
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_sections()
        return context

    def get_sections(self):
        """Each section index below the home page with its latest items.

        Index pages that offer `home_section_items()` are shown in the order their
        types register (`home_section_order`, lowest first; then tree order), so
        the home page needs no knowledge of what they hold. A section whose index
        names a `home_section_template` is rendered by it (the newsletter's lead
        feature); the others are cards. A section whose index
        sets `home_section_compact` is a list of links rather than cards. An index
        whose section is simply its latest pages of one type says so with
        `home_section_latest = (page type, order)`: those sections come in one
        query together (home.first_of_each).
        """
        # Deferred: the index pages' own fields are not shown, only their title and
        # address, so no query per page type.
        index_pages = prepared(
            ("home page: sections", self.pk, self.path),
            lambda: public(self.get_children().live()).specific(defer=True),
        )
        index_pages = sorted(
            (page for page in index_pages if hasattr(page, "home_section_items")),
            key=lambda page: getattr(page, "home_section_order", DEFAULT_SECTION_ORDER),
        )
        latest = _latest_of_each(index_pages)
        sections = []
        for index_page in index_pages:
            if index_page.pk in latest:
                items = latest[index_page.pk]
            else:
                items = list(index_page.home_section_items())
            if items:
                sections.append(
                    {
                        "page": index_page,
                        "items": items,
                        "compact": getattr(index_page, "home_section_compact", False),
                        "template": getattr(index_page, "home_section_template", None),
                    }
                )
        return sections


def _latest_of_each(index_pages):
    """{index page id: its latest pages} for the index pages that declare
    `home_section_latest`, in one query (one type of page per index page)."""
    listed = {}
    for index_page in index_pages:
        model, _ = getattr(index_page, "home_section_latest", (None, None))
        if model is not None and model not in listed:
            listed[model] = index_page
    if not listed:
        return {}

    def children():
        below = Q()
        for index_page in listed.values():
            below |= Q(path__startswith=index_page.path, depth=index_page.depth + 1)
        return public(Page.objects.filter(below).live())

    key = ("home page: latest", tuple((page.pk, page.path) for page in listed.values()))
    lists = [index_page.home_section_latest for index_page in listed.values()]
    found = first_of_each(key, children, lists, HOME_SECTION_ITEMS)
    return {index_page.pk: found[model] for model, index_page in listed.items()}


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


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


class FormPage(
    WagtailUrlsMixin,
    ViewRestrictionsMixin,
    PublicFormMixin,
    ListingFieldsMixin,
    AbstractEmailForm,
):
    """A form visitors fill in on the site: the survey, the contact form. The
    answers of its language versions form one result (see public_forms.models)."""

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
