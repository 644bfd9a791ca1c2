"""RSS feeds of pages, one per language: the base class the apps' feeds build on,
the hook through which they declare themselves, and the feed of a country.

Each feed holds the live, public pages of the visitor's language only (the language of
the URL prefix, which is also the feed's `language`), never aliases: an untranslated
page's text is in another language. Feed paths end in ".xml", which no page slug can
hold, so they never shadow a page.

The country feed holds what points at a country page and is listed in feeds
(`RelatedListing.in_feed`: stories and events, so far): someone following their
country of origin wants both, and a new event is news the day it is announced.
"""

import datetime
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Locale

from home.models import CountryPage
from home.models.translation_state import written_in_own_language
from home.related import related_sections
from pagecache.decorators import mark_public

ITEMS = 20
ISO_CODE = re.compile(r"[A-Za-z]{2}")

#: Wagtail hook: each function registered under this name returns the site's feeds
#: (`SiteFeed`) that every page of a language links to in its <head>.
FEEDS_HOOK = "register_site_feeds"


@dataclass(frozen=True)
class SiteFeed:
    url_name: str  # reversed in the visitor's language
    title: Promise


def site_feeds():
    return [feed for fn in hooks.get_hooks(FEEDS_HOOK) for feed in fn()]


def shown_in(queryset, locale):
    """The live, public pages of `queryset` in `locale` that hold their own text."""
    return written_in_own_language(queryset.live().public().filter(locale=locale))


def day_start(day):
    """A date as an aware datetime (midnight, the site's time zone), for pubDate."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class PageFeed(Feed):
    """A feed of pages. `get_object` returns a namespace holding the request, the
    locale and the page the feed belongs to (its `link`); `pages(obj)` the items.

    The feed instance is shared by every request, so per-request state lives in
    `obj`, and each item carries its own URL (computed with the request, which saves
    Wagtail a site lookup per item)."""

    def __call__(self, request, *args, **kwargs):
        mark_public(request)  # the same for every visitor: the page cache keeps it
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return SimpleNamespace(request=request, locale=Locale.get_active(), page=None)

    def pages(self, obj):
        raise NotImplementedError

    def items(self, obj):
        items = list(self.pages(obj)[:ITEMS])
        for item in items:
            item.feed_url = item.get_full_url(obj.request)
        return items

    def link(self, obj):
        if obj.page is not None:
            return obj.page.get_full_url(obj.request)
        return obj.request.build_absolute_uri("/")

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class CountryFeed(PageFeed):
    def get_object(self, request, country_code):
        obj = super().get_object(request)
        if not ISO_CODE.fullmatch(country_code):
            raise Http404("No such country.")
        obj.page = (
            CountryPage.objects.live()
            .public()
            .filter(locale=obj.locale, country=country_code.upper())
            .first()
        )
        if obj.page is None:
            raise Http404("No such country.")
        return obj

    def title(self, obj):
        return _("Diaspora Engagement: %(country)s") % {"country": obj.page.title}

    def description(self, obj):
        return _("Stories and events about %(country)s.") % {"country": obj.page.title}

    def pages(self, obj):
        newest = ("-first_published_at", "-pk")
        pages = [
            page
            for section in related_sections(obj.page, in_feed=True, limit=None)
            for page in written_in_own_language(section.pages).order_by(*newest)[:ITEMS]
        ]
        return sorted(pages, key=lambda page: page.first_published_at, reverse=True)
