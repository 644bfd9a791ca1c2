"""Page URLs worked out once per process.

Wagtail works a page's URL out anew each time it is asked (`Page.get_url_parts`:
the sites the page belongs to, then `reverse()` of the serving view with the page's
language switched on), and a listing asks for dozens. The answer depends only on
the page's `url_path`, the sites' root paths (which Wagtail keeps in its own cache
and renews when a site or its root page changes), the active language and the URL
configuration, so it is remembered under all of these: a page renamed or moved has
a new `url_path`, hence a new key, and no answer can be outdated. A page that
belongs to several sites (its answer depends on the request's site) is left to
Wagtail. `tests/home/test_page_urls.py` compares the answers with Wagtail's.
"""

import threading

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

MAX_ENTRIES = 4096

_parts = {}
_lock = threading.Lock()


class RememberedUrlMixin:
    """`get_url_parts` remembered per process (see the module's docstring)."""

    def get_url_parts(self, request=None):
        root_paths = tuple(self._get_site_root_paths(request))
        sites = {root.site_id for root in root_paths if self.url_path.startswith(root.root_path)}
        if len(sites) > 1:
            return super().get_url_parts(request)
        key = (
            self.url_path,
            root_paths,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            getattr(settings, "WAGTAIL_I18N_ENABLED", False),
        )
        try:
            return _parts[key]
        except KeyError:
            pass
        parts = super().get_url_parts(request)
        with _lock:
            if len(_parts) >= MAX_ENTRIES:
                _parts.clear()
            _parts[key] = parts
        return parts
