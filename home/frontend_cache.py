"""Purging a CDN in front of the site, through Wagtail's frontend cache backends
(production.py sets WAGTAILFRONTENDCACHE from FRONTEND_CACHE_* variables).

Wagtail itself purges a page's own URL when it is published or unpublished. That is
not enough here: the home page, indexes, country pages and feeds list the page too,
and every page shows the menu, footer and contact settings. So any content change
(home/cache_invalidation.py) queues one purge of every live page and feed on the
background task queue, away from the editor's request; changes within a minute share
one purge.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

PENDING_KEY = "frontend-cache:purge-pending"
DEBOUNCE_SECONDS = 60
FEEDS = ("stories:feed", "newsletter:feed", "events:calendar_feed")


def schedule_purge():
    if cache.add(PENDING_KEY, True, timeout=DEBOUNCE_SECONDS):
        transaction.on_commit(purge_site.enqueue)


def _feed_urls(root_url):
    urls = [root_url + reverse("sitemap")]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in FEEDS:
                urls.append(root_url + reverse(name))
    return urls


@task(backend="background")
def purge_site():
    """Purge every live page and feed of every site from the CDN."""
    cache.delete(PENDING_KEY)
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().exclude(depth=1))
    for site in Site.objects.all():
        batch.add_urls(_feed_urls(site.root_url))
    batch.purge()
