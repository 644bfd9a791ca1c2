from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from discovery import urls as discovery_urls
from home import identity, serving
from public_forms.views import submit_form

# Admin and documents are language-neutral; every public page lives under
# /en/, /fr/ or /nl/. Django's LocaleMiddleware redirects "/" to the
# visitor's language.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The email service's webhooks (bounces, complaints): /anymail/<esp>/tracking/.
    # Acted on only when ANYMAIL["WEBHOOK_SECRET"] is set; see newsletter/bounces.py.
    path("anymail/", include("anymail.urls")),
    # The operator's health checks: JSON, never cached, no language (health/views.py).
    path("", include("health.urls")),
    *discovery_urls.root_urlpatterns,
    # Browsers ask for /favicon.ico whatever a page links (home/identity.py).
    *identity.root_urlpatterns,
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Each app's public views, where they are installed, before Wagtail's catch-all:
# these paths shadow any page with the same path.
FEATURE_URLS = [
    # Subscribing, personal links and the feed of issues.
    ("newsletter", "newsletter/", "newsletter.urls"),
    # Registration, calendar files and proposals; paths no page slug can take.
    ("events", "events/", "events.urls"),
    # RSS feeds; ".xml" is a suffix no page slug can have.
    ("stories", "stories/", "stories.urls"),
    # Posting under a page, confirming an address, reporting, the house rules.
    ("discussion", "discussion/", "discussion.urls"),
]

urlpatterns += i18n_patterns(
    *[
        path(prefix, include(module))
        for app, prefix, module in FEATURE_URLS
        if apps.is_installed(app)
    ],
    *discovery_urls.language_urlpatterns,
    # The web app manifest, its name in the language (home/identity.py).
    *identity.language_urlpatterns,
    # Where form pages (survey, contact, calls) post: never cached, no CSRF token.
    path("forms/<int:page_id>/", submit_form, name="form_submit"),
    # Wagtail's, its page view finding the route in fewer queries (home/serving.py).
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
    prefix_default_language=True,
)

# A database that is away gives a 503 "try again in a minute", not a 500 (errors.py).
handler500 = "diaspora_site.errors.server_error"
