"""Country pages: one per country of origin the office works with."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.blocks import TEXT_FEATURES, BaseContentBlock
from home.compiled_queries import CompiledQuery
from home.i18n import alphabetical_key
from home.models.base import BasePage, StreamBodyMixin, paginate
from home.prepared import prepared
from home.related import related_sections

COUNTRY_PAGE_SIZE = 24


class CountryIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.CountryPage"]
    max_count_per_parent = 1
    template = "pages/home/country_index_page.html"

    class Meta:
        verbose_name = _("country index page")

    def get_countries(self, *, links_only=False):
        """The live country pages, in alphabetical order for the page's language
        (a list: the database would put Bénin after Burundi). `links_only`: with
        their titles and addresses only (a link each, no card)."""

        def build():
            countries = CountryPage.objects.child_of(self).live().public()
            if links_only:
                return countries.only("title", "url_path")
            return countries.with_listing_images()

        key = ("country index: countries", self.pk, self.path, links_only)
        return sorted(prepared(key, build), key=lambda page: alphabetical_key(page.title))

    home_section_compact = True
    home_section_order = 40  # after the features' sections (home.HomePage.get_sections)

    def home_section_items(self):
        return self.get_countries(links_only=True)

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
    search_result_label = pgettext_lazy("type of search result", "Country")

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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = related_sections(self)
        return context


# The English country pages and their live versions in other languages, by
# language code (which saves looking the two locales up); compiled once.
COUNTRY_ROWS = CompiledQuery(
    lambda codes: (
        CountryPage.objects.live()
        .filter(locale__language_code__in=codes)
        .values_list("pk", "translation_key", "title", "locale__language_code")
    )
)


def country_choices():
    """The English country pages (what subscribers, events and proposals are linked
    to), each labelled with its title in the active language, in that language's
    alphabetical order: choices for a public form."""
    # One query: the English pages and their live versions in the active language
    # (by language code, which saves looking the two locales up).
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    try:
        active = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        active = default
    rows = COUNTRY_ROWS(codes=sorted({default, active}))
    pages = [(pk, key, title) for pk, key, title, code in rows if code == default]
    titles = {key: title for _, key, title, code in rows if code == active}
    labelled = [(pk, titles.get(key, title)) for pk, key, title in pages]
    return sorted(labelled, key=lambda choice: alphabetical_key(choice[1]))
