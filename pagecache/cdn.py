"""Purging a CDN in front of the site, through Wagtail's frontend cache backends
(production.py sets WAGTAILFRONTENDCACHE from FRONTEND_CACHE_* variables).

Wagtail itself purges a page's own URL when it is published or unpublished. That is
not enough here: the home page, indexes, country pages and feeds list the page too,
and every page shows the menu, footer and contact settings. So any content change
(pagecache/invalidation.py) queues one purge of every live page, and of the other
public URLs the apps declare (feeds, calendar files, the sitemap: the
PURGE_PATHS_HOOK), on the background task queue, away from the editor's request;
changes within a minute share one purge. What only some pages show (an event's places
left) purges only those pages, in every language (`schedule_translation_purge`).

Pages that change at a known time (pagecache.lifetime) need no purge: the CDN gets
an `s-maxage` that ends at that time (pagecache.middleware).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from wagtail import hooks
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

PENDING_KEY = "frontend-cache:purge-pending"
DEBOUNCE_SECONDS = 60

#: Wagtail hook: each function registered under this name returns the paths (such as
#: "/en/stories/feed.xml") of public, cacheable URLs that are not pages.
PURGE_PATHS_HOOK = "register_frontend_cache_paths"


def localized_paths(url_name, *args):
    """The path of the URL `url_name` in every language of the site."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse(url_name, args=args))
    return paths


def purge_paths():
    """Every path the apps declared, once each, in the order declared."""
    paths = [path for fn in hooks.get_hooks(PURGE_PATHS_HOOK) for path in fn()]
    return list(dict.fromkeys(paths))


def schedule_purge():
    if cache.add(PENDING_KEY, True, timeout=DEBOUNCE_SECONDS):
        transaction.on_commit(purge_site.enqueue)


def schedule_translation_purge(*translation_keys):
    """Purge the live pages of each `translation_key` (one page in every language)
    after the commit, in one purge, when a CDN is configured; the same pages changed
    again within a minute share that purge."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    keys = [
        str(key)
        for key in dict.fromkeys(translation_keys)
        if cache.add(f"{PENDING_KEY}:{key}", True, timeout=DEBOUNCE_SECONDS)
    ]
    if keys:
        transaction.on_commit(lambda: purge_translation.enqueue(*keys))


@task(backend="background")
def purge_translation(*translation_keys):
    """Purge the live pages of each of `translation_keys`, in every language."""
    cache.delete_many([f"{PENDING_KEY}:{key}" for key in translation_keys])
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().filter(translation_key__in=translation_keys))
    batch.purge()


@task(backend="background")
def purge_site():
    """Purge every live page and declared path of every site from the CDN."""
    cache.delete(PENDING_KEY)
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().exclude(depth=1))
    paths = purge_paths()
    for site in Site.objects.all():
        batch.add_urls([site.root_url + path for path in paths])
    batch.purge()
