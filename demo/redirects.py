"""Keep the demo's French and Dutch addresses with English slugs working.

Until its translation is applied, a French or Dutch page is an alias of the English
one, at the English slugs (/fr/countries/morocco/); translated, it moves to its own
(/fr/pays/maroc/). A permanent redirect goes from each old address to the page.

Wagtail makes redirects itself when a slug changes, but only from the path the page
had just before: translations are applied parents first, so the page's fully English
path (/fr/countries/morocco/, not /fr/pays/morocco/) is never among them.
"""

import copy

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site


def english_slug_url(page, source):
    """The address `page` has with the slugs of `source`, the English page it
    translates (and of its ancestors), below its own locale's home page."""
    home, *_ = page.url_path.strip("/").split("/")
    _, *slugs = source.url_path.strip("/").split("/")
    before = copy.copy(page)
    before.url_path = "/" + "/".join([home, *slugs, ""])
    parts = before.get_url_parts()
    return parts and parts[2]


def create_demo_redirects(registry):
    """A redirect from each translated demo page's English-slug address, where it
    differs from the page's own. Returns the number created; an address that
    already redirects (an earlier run, an editor) is left as it is."""
    created = 0
    sources = [obj for obj in registry.values() if isinstance(obj, Page)]
    for source in sources:
        translations = Page.objects.filter(
            translation_key=source.translation_key, live=True, alias_of__isnull=True
        ).exclude(locale_id=source.locale_id)
        for page in translations:
            parts = page.get_url_parts()
            old_url = english_slug_url(page, source)
            if not parts or not old_url:
                continue
            site_id, _root, url = parts
            # Stored as the middleware looks it up: language prefix kept, no trailing slash.
            old_path = Redirect.normalise_path(old_url)
            if old_path == Redirect.normalise_path(url):
                continue
            site = Site.objects.get(pk=site_id)
            if Redirect.get_for_site(site).filter(old_path=old_path).exists():
                continue
            # Not `automatically_created`: Wagtail deletes every such redirect when a
            # slug change moves no address, e.g. a locale's home page (wagtail#11338).
            Redirect.objects.create(
                old_path=old_path, site=site, redirect_page=page, is_permanent=True
            )
            created += 1
    return created
