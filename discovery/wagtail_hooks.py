from django.urls import reverse
from wagtail import hooks

from discovery.feeds import site_feeds
from pagecache.cdn import PURGE_PATHS_HOOK, localized_paths


@hooks.register(PURGE_PATHS_HOOK)
def sitemap_and_feeds():
    """A CDN keeps the sitemap and the feeds like pages: purge them with the pages."""
    paths = [reverse("sitemap")]
    for feed in site_feeds():
        paths += localized_paths(feed.url_name)
    return paths
