"""What empties the page cache: any change to something a public page shows.

Connected once at start-up (PageCacheConfig.ready) to every save and delete, acting
on the models that pages show (`is_shown_on_pages`): every page type, every snippet,
every setting, images and documents (titles, alt text, focal points), sites, locales
and redirects, and view restrictions (a page made private must leave the cache). A
model may say otherwise with a `shown_on_pages` attribute: a snippet no page shows
sets it to False (sending a newsletter or rendering a new image size then leaves the
cache warm), and a model that pages show without being any of the above sets it to
True. When a CDN is configured (WAGTAILFRONTENDCACHE), each change
also queues one purge of the site's public URLs (pagecache/cdn.py); and each change
queues a warm-up of the pages visitors read most (pagecache/warmup.py).
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import BaseViewRestriction, Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from pagecache.cdn import schedule_purge
from pagecache.generation import invalidate
from pagecache.warmup import schedule_warmup

DISPATCH_UID = "pagecache.invalidation"
SHOWN_BASES = (
    Page,
    BaseGenericSetting,
    BaseSiteSetting,
    Site,
    Locale,
    Redirect,
    BaseViewRestriction,
)


def is_shown_on_pages(model):
    """Whether rows of `model` appear on public pages. Asked on every save, since
    snippets are registered (with their `snippet_viewset`) only once the admin's
    hooks load, after the apps are ready; a worker or command loads them here."""
    declared = getattr(model, "shown_on_pages", None)
    if declared is not None:
        return declared
    hooks.search_for_hooks()  # once per process
    return (
        issubclass(model, SHOWN_BASES)
        or model in (get_image_model(), get_document_model())
        or hasattr(model, "snippet_viewset")
    )


def _saved_or_deleted(sender, **kwargs):
    if is_shown_on_pages(sender):
        content_changed()


def content_changed(sender=None, **kwargs):
    invalidate()
    schedule_warmup()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        schedule_purge()


def connect():
    post_save.connect(_saved_or_deleted, dispatch_uid=DISPATCH_UID)
    post_delete.connect(_saved_or_deleted, dispatch_uid=DISPATCH_UID)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=DISPATCH_UID)
