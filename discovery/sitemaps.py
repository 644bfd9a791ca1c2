"""sitemap.xml and robots.txt, at the root of the site (outside the language prefixes).

Wagtail's own sitemap walks one site root, so it lists the English tree only, and it
knows no language alternates (wagtail/wagtail#6583). This one lists every live,
public page of every language tree, leaves aliases out (an untranslated page's text
is its source's, found at the source's own address), and gives each page its
`xhtml:link rel="alternate" hreflang` versions, plus x-default (the English page).
"""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.contrib.sitemaps import Sitemap
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from home.models.translation_state import written_in_own_language

# Sitemaps and robots.txt are read by crawlers: an hour of caching is plenty.
MAX_AGE = 3600

#: Wagtail hook: each function registered under this name returns paths, under each
#: language prefix ("newsletter/confirm/"), that crawlers must stay out of: the links
#: mailed to one person.
PRIVATE_PATHS_HOOK = "register_private_paths"


def _shown(pages):
    """Pages a visitor can reach and that hold their own text."""
    return written_in_own_language(pages.live().public())


class LocalizedSitemap(Sitemap):
    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_root = Q()
        for path in roots.values_list("path", flat=True):
            under_a_root |= Q(path__startswith=path)
        return (
            _shown(Page.objects.filter(under_a_root))
            .select_related("locale")
            .order_by("path", "locale__language_code")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        versions = {}
        for version in _shown(
            Page.objects.filter(translation_key__in={p.translation_key for p in pages})
        ).select_related("locale"):
            versions.setdefault(version.translation_key, {})[version.locale.language_code] = version
        default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        urls = []
        for item in pages:
            translations = versions.get(item.translation_key, {})
            alternates = []
            # A lone page has no alternates to announce.
            if len(translations) > 1:
                alternates = [
                    {"lang_code": code, "location": self.location(translations[code])}
                    for code, _name in settings.LANGUAGES
                    if code in translations
                ]
                if default_code in translations:
                    alternates.append(
                        {
                            "lang_code": "x-default",
                            "location": self.location(translations[default_code]),
                        }
                    )
            urls.append(
                {
                    "item": item,
                    "location": self.location(item),
                    "lastmod": self.lastmod(item),
                    "alternates": alternates,
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def sitemap(request):
    return sitemap_views.sitemap(
        request, {"pages": LocalizedSitemap(request)}, template_name="sitemap.xml"
    )


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def robots_txt(request):
    """Everything public may be crawled, except the admin and the links that carry a
    subscriber's or registrant's token."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    private = [path for fn in hooks.get_hooks(PRIVATE_PATHS_HOOK) for path in fn()]
    lines += [f"Disallow: /{code}/{path}" for code, _name in settings.LANGUAGES for path in private]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
