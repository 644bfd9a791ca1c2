from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home.feeds import CountryFeed
from home.form_views import submit_form
from home.search import search
from home.sitemaps import robots_txt, sitemap

# Admin and documents are language-neutral; every public page lives under
# /en/, /fr/ or /nl/. Django's LocaleMiddleware redirects "/" to the
# visitor's language.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The email service's webhooks (bounces, complaints): /anymail/<esp>/tracking/.
    # Acted on only when ANYMAIL["WEBHOOK_SECRET"] is set; see newsletter/bounces.py.
    path("anymail/", include("anymail.urls")),
    # For crawlers, at the root: every language's pages, with their alternates.
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    # Before Wagtail's catch-all: these paths shadow any page with the same path.
    path("newsletter/", include("newsletter.urls")),
    # Registration, calendar files and proposals; paths no page slug can take.
    path("events/", include("events.urls")),
    # RSS feeds; ".xml" is a suffix no page slug can have.
    path("stories/", include("stories.urls")),
    path("countries/<str:country_code>/feed.xml", CountryFeed(), name="country_feed"),
    # Where form pages (survey, contact, calls) post: never cached, no CSRF token.
    path("forms/<int:page_id>/", submit_form, name="form_submit"),
    # Site search in the visitor's language (home/search.py).
    path("search/", search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
