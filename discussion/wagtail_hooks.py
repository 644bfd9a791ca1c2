from wagtail import hooks
from wagtail.snippets.models import register_snippet

from discussion import admin_bulk_actions, admin_listing
from discussion.rendering import render_discussion
from home.blocks import PAGE_APPENDIX_HOOK

hooks.register(PAGE_APPENDIX_HOOK, render_discussion)

# The admin: the listing of contributions ("Discussions") and its bulk actions
# (discussion.admin_*).
register_snippet(admin_listing.ContributionViewSet)
for action in admin_bulk_actions.BULK_ACTIONS:
    hooks.register("register_bulk_action", action)
hooks.register("after_delete_snippet", admin_listing.deleted)
