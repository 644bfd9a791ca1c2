"""Pages that point at a page, listed on it: a country page lists the projects,
stories, events and calls about its country, a project page its stories, events
and calls.

Neither knows those page types. A page type that points at another page (a
ForeignKey or ParentalManyToManyField) says how it is listed there with a
`related_listing` class attribute; the page pointed at finds those types through
its reverse relations. Relations point at the English page (wagtail-localize copies
them unchanged), so the lists match the page's translation key, in its own locale.
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import Q
from django.utils.functional import Promise
from wagtail.models import Page

from home.first_of_each import first_of_each

# Cards shown per list on a country or project page.
RELATED_ITEMS = 6


@dataclass(frozen=True)
class RelatedListing:
    """How a page type is listed on the pages it points at."""

    heading: Promise  # the section's heading, e.g. "Success stories"
    order_by: tuple  # e.g. ("-first_published_at",)
    position: int  # sections are shown in this order
    in_feed: bool = False  # also in a country's RSS feed (discovery.feeds)
    # Rendered after the cards, with the page listing them as `page` (a calendar link).
    note_template: str = ""


@dataclass
class RelatedSection:
    key: str  # the reverse relation's name ("stories"): ids and headings' anchors
    listing: RelatedListing
    pages: object  # a queryset of the pointing pages

    @property
    def heading(self):
        return self.listing.heading

    @property
    def note_template(self):
        return self.listing.note_template


@cache
def _relations(model):
    """(key, pointing model, field name, listing) for every page type that points at
    `model` and declares a listing, in the listings' order."""
    found = []
    for relation in model._meta.related_objects:
        pointing = relation.related_model
        listing = getattr(pointing, "related_listing", None)
        if listing is None or not issubclass(pointing, Page):
            continue
        found.append((relation.get_accessor_name(), pointing, relation.field.name, listing))
    return sorted(found, key=lambda item: item[3].position)


def pages_pointing_at(page, model, field_name):
    """Live, public pages of `model`, in `page`'s locale, whose `field_name` points at
    any language version of `page`."""
    return (
        model.objects.live()
        .public()
        .filter(
            locale_id=page.locale_id, **{f"{field_name}__translation_key": page.translation_key}
        )
        .distinct()
    )


def related_sections(page, *, in_feed=False, limit=RELATED_ITEMS):
    """The lists of pages pointing at `page`, each ordered as its type says and cut
    to `limit` items (None: uncut); only those in feeds when `in_feed`.

    Cut lists come in one query (home.first_of_each), as lists; uncut ones are
    querysets, which the feeds filter further."""
    relations = [
        (key, model, field_name, listing)
        for key, model, field_name, listing in _relations(type(page))
        if listing.in_feed or not in_feed
    ]
    if not limit:
        return [
            RelatedSection(
                key,
                listing,
                pages_pointing_at(page, model, field_name)
                .with_listing_images()
                .order_by(*listing.order_by),
            )
            for key, model, field_name, listing in relations
        ]

    def pointing():
        pointing_pages = Q()
        for _, model, field_name, _ in relations:
            pages = pages_pointing_at(page, model, field_name)
            pointing_pages |= Q(pk__in=pages.values("pk"))
        return Page.objects.filter(pointing_pages)

    key = ("related pages", tuple(key for key, *_ in relations), page.locale_id)
    found = first_of_each(
        (*key, page.translation_key),
        pointing,
        [(model, listing.order_by) for _, model, _, listing in relations],
        limit,
    )
    return [RelatedSection(key, listing, found[model]) for key, model, _, listing in relations]
