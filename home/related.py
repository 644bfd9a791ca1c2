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

from django.utils.functional import Promise
from wagtail.models import Page

from home.prepared import prepared

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
    to `limit` items (None: uncut); only those in feeds when `in_feed`."""
    sections = []
    for key, model, field_name, listing in _relations(type(page)):
        if in_feed and not listing.in_feed:
            continue

        def build(model=model, field_name=field_name, listing=listing):
            pages = pages_pointing_at(page, model, field_name).with_listing_images()
            pages = pages.order_by(*listing.order_by)
            return pages[:limit] if limit else pages

        if limit:
            # What a page shows: its SQL compiled once (see home.prepared). Uncut
            # lists are filtered further (feeds), which a prepared query is not for.
            label = ("related pages", model._meta.label, field_name, limit)
            pages = prepared((*label, page.locale_id, page.translation_key), build)
        else:
            pages = build()
        sections.append(RelatedSection(key, listing, pages))
    return sections
