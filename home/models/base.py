"""The abstract base page every page type of the site builds on."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.compiled_queries import CompiledQuery
from home.i18n import localize_stream
from home.page_urls import WagtailUrlsMixin
from home.prepared import PreparedListing
from home.text import first_words

PAGE_SIZE = 12
HOME_SECTION_ITEMS = 3
SUMMARY_WORDS = 30


class ListingFieldsMixin(models.Model):
    """What a card shows when the page appears in a listing."""

    listing_image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on cards that link to this page and when the page is shared."),
    )
    listing_image_alt = models.CharField(
        _("listing image alt text"),
        max_length=255,
        blank=True,
        help_text=_(
            "Describes the image for people who cannot see it. Translated with the page; "
            "leave empty to use the image's own alt text."
        ),
    )
    listing_summary = models.TextField(
        _("listing summary"),
        blank=True,
        max_length=300,
        help_text=_("One or two sentences for cards and search results."),
    )

    # What a card says above the summary (a date, a kind): a template the page type
    # names, rendered with the page as `page`; nothing when empty.
    card_meta_template = ""
    # The colour of the typographic panel a card shows when the page has no listing
    # image (components/_card.html; tones in static/css/site.css, "Card fallback").
    card_tone = "brand"

    listing_panels = [
        MultiFieldPanel(
            [
                FieldPanel("listing_image"),
                FieldPanel("listing_image_alt"),
                FieldPanel("listing_summary"),
            ],
            heading=_("Listing"),
            help_text=_("How this page appears in lists and cards."),
        )
    ]

    class Meta:
        abstract = True


def in_private_section():
    """An expression: whether a page is in a private section (it or an ancestor has a
    view restriction).

    Wagtail's `PageQuerySet.public()` first fetches every restriction to build its
    filter, one query each time a listing is built; this subquery lets the database
    check instead, at no query of its own. A restriction covers its page and every
    page whose path starts with its page's path (treebeard's materialised path).
    """
    restricted_paths = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, Length("page__path"))
    ).filter(prefix=F("page__path"))
    return Exists(restricted_paths)


def public(queryset):
    """`queryset.public()` without its extra query, for any page queryset (such as
    `Page.objects` or `page.get_children()`, which do not use BasePageQuerySet)."""
    return queryset.exclude(in_private_section())


class BasePageQuerySet(PageQuerySet):
    def public(self):
        return public(self)

    def with_listing_images(self):
        """What cards show: each page's listing image fetched with the page, so cards
        cost no query each, and not the stream fields (a card shows none; each one
        loaded costs a JSON field built and decoded per page).

        Renditions are not prefetched: Wagtail keeps them in its rendition cache,
        which answers without SQL once warm (a prefetch would add a query).
        """
        return self.select_related("listing_image").defer_streamfields()


class ViewRestrictionsMixin:
    """Finds the view restrictions that apply to a page in one query.

    Wagtail checks them before serving every page: it fetches the page's ancestors
    and, for each alias on the way, its source page (a query each), then the
    restrictions. The ancestors' paths are prefixes of the page's own path, so one
    query can ask for the restrictions of the pages at those paths, taking the
    source page's restrictions for an alias, as Wagtail does.
    """

    def get_view_restrictions(self):
        steplen = type(self).steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        # Asked before serving every page, and most pages have none: whether there
        # are any comes from a query compiled once (home/compiled_queries.py).
        if not ANY_VIEW_RESTRICTION(paths=paths):
            return PageViewRestriction.objects.none()
        return _view_restrictions(paths).distinct()


def _view_restrictions(paths):
    return PageViewRestriction.objects.filter(
        Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
    )


ANY_VIEW_RESTRICTION = CompiledQuery(lambda paths: _view_restrictions(paths).values_list("pk")[:1])


class BasePage(WagtailUrlsMixin, ViewRestrictionsMixin, ListingFieldsMixin, Page):
    """Page with listing fields, locale-aware search and a summary fallback."""

    objects = PageManager.from_queryset(BasePageQuerySet)()

    search_fields = [
        *Page.search_fields,
        index.SearchField("listing_summary"),
        index.FilterField("locale"),
    ]
    promote_panels = [*Page.promote_panels, *ListingFieldsMixin.listing_panels]

    class Meta:
        abstract = True

    @property
    def summary(self):
        """What cards say about the page: its listing summary, else the start of its
        introduction, else its search description."""
        if self.listing_summary:
            return self.listing_summary
        introduction = strip_tags(getattr(self, "introduction", "") or "")
        if introduction:
            return first_words(introduction, SUMMARY_WORDS)
        return self.search_description


class StreamBodyMixin:
    """Pages whose `body` StreamField may point at other pages or snippets: show
    those in the page's own language."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.localize_body()
        return context

    def localize_body(self):
        """Show the body's chosen pages and snippets in the page's language (a page
        type may convert its body in fewer queries: home.stream_loading)."""
        localize_stream(self.body, self.locale_id)


def paginate(request, queryset, per_page=PAGE_SIZE, param="page"):
    """Return the page of `queryset` (or of a `home.prepared.PreparedListing`) asked
    for by the GET parameter `param`; bad or out-of-range numbers give the nearest
    valid page instead of an error."""
    number = request.GET.get(param)
    if isinstance(queryset, PreparedListing):
        return queryset.page(number, per_page)
    return Paginator(queryset, per_page).get_page(number)
