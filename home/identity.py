"""The site's identity for browsers: `/favicon.ico` at the root (browsers ask for it
whatever the page links), and the web app manifest of each language (its name
translated, its start at that language's home page). The icons themselves are static
files drawn by scripts/make_icons.py; base.html links them (docs/architecture.md,
"Identity and browser integration")."""

import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# The brand blue of static/css/site.css, also the `theme-color` of base.html.
THEME_COLOUR = "#0b3d91"
ONE_DAY = 24 * 60 * 60


@cache
def _favicon_bytes():
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        return icon.read()


@require_safe
@cache_control(public=True, max_age=7 * ONE_DAY)
def favicon(request):
    return HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")


def manifest_data(language):
    """The manifest of `language` as a dict (the active language's strings)."""
    icon = {"type": "image/png", "purpose": "any"}
    return {
        "name": gettext("Diaspora Engagement"),
        "short_name": pgettext("app name on a phone's home screen, 12 letters at most", "Diaspora"),
        "description": gettext("IOM Belgium and Luxembourg"),
        "lang": language,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": f"/{language}/",
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {**icon, "src": static("img/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("img/icon-512.png"), "sizes": "512x512"},
            {
                **icon,
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def web_manifest(request):
    data = manifest_data(translation.get_language())
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )


root_urlpatterns = [path("favicon.ico", favicon, name="favicon")]
# Under each language prefix (/fr/manifest.webmanifest): a name in the page's language.
language_urlpatterns = [path("manifest.webmanifest", web_manifest, name="web_manifest")]
