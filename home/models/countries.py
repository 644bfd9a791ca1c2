"""Country pages: one per country of origin the office works with."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.blocks import TEXT_FEATURES, BaseContentBlock
from home.i18n import alphabetical_key, pages_pointing_at
from home.models.base import BasePage, StreamBodyMixin, paginate

COUNTRY_PAGE_SIZE = 24
RELATED_ITEMS = 6


class CountryIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.CountryPage"]
    max_count_per_parent = 1
    template = "pages/home/country_index_page.html"

    class Meta:
        verbose_name = _("country index page")

    def get_countries(self):
        """The live country pages, in alphabetical order for the page's language
        (a list: the database would put Bénin after Burundi)."""
        countries = CountryPage.objects.child_of(self).live().public().with_listing_images()
        return sorted(countries, key=lambda page: alphabetical_key(page.title))

    home_section_compact = True

    def home_section_items(self):
        return self.get_countries()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["countries"] = paginate(request, self.get_countries(), COUNTRY_PAGE_SIZE)
        return context


class CountryPage(StreamBodyMixin, BasePage):
    country = CountryField(
        _("country"),
        help_text=_("The country's ISO 3166 code. Each country has one page per language."),
    )
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)
    body = StreamField(BaseContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("country"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("country"),
    ]

    parent_page_types = ["home.CountryIndexPage"]
    subpage_types = []
    template = "pages/home/country_page.html"

    class Meta:
        verbose_name = _("country page")
        verbose_name_plural = _("country pages")

    def clean(self):
        super().clean()
        # Not a database constraint: wagtail-localize copies `country` into each
        # translation, so the same code legitimately appears once per locale.
        duplicate = (
            CountryPage.objects.filter(locale_id=self.locale_id, country=self.country)
            .exclude(pk=self.pk)
            .first()
        )
        if self.country and duplicate:
            raise ValidationError(
                {
                    "country": _(
                        "There is already a page for %(country)s in this language: “%(title)s”."
                    )
                    % {"country": self.country.name, "title": duplicate.title}
                }
            )

    def get_projects(self):
        return pages_pointing_at(self, "projects").order_by("title")

    def get_stories(self):
        return (
            pages_pointing_at(self, "stories").with_listing_images().order_by("-first_published_at")
        )

    def get_events(self):
        return pages_pointing_at(self, "events").order_by("-start")

    def get_calls(self):
        return pages_pointing_at(self, "calls").order_by("-deadline")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            projects=self.get_projects().with_listing_images()[:RELATED_ITEMS],
            stories=self.get_stories()[:RELATED_ITEMS],
            events=self.get_events().with_listing_images()[:RELATED_ITEMS],
            calls=self.get_calls().with_listing_images()[:RELATED_ITEMS],
        )
        return context
