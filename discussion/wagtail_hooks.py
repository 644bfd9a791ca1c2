from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from discovery.sitemaps import PRIVATE_PATHS_HOOK
from discussion import admin_bulk_actions, admin_listing, admin_pages
from discussion.rendering import render_discussion
from home.blocks import PAGE_APPENDIX_HOOK

hooks.register(PAGE_APPENDIX_HOOK, render_discussion)

# The admin: the listing of contributions ("Discussions"), its bulk actions, the
# dashboard's panel, and the page header's items (discussion.admin_*).
register_snippet(admin_listing.ContributionViewSet)
for action in admin_bulk_actions.BULK_ACTIONS:
    hooks.register("register_bulk_action", action)
hooks.register("after_delete_snippet", admin_listing.deleted)
hooks.register("construct_homepage_panels", admin_pages.homepage_panel)
hooks.register("register_page_header_buttons", admin_pages.page_header_buttons)


@hooks.register("register_admin_urls")
def register_urls():
    urlpatterns = [path("switch/<int:page_id>/", admin_pages.switch, name="switch")]
    return [path("discussion/", include((urlpatterns, "discussion_admin")))]


@hooks.register(PRIVATE_PATHS_HOOK)
def personal_link_paths():
    """Crawlers stay out of the emailed links and the report pages."""
    return ["discussion/confirm/", "discussion/emails/", "discussion/report/"]
