from wagtail import hooks

from discovery.sitemaps import PRIVATE_PATHS_HOOK
from discussion.rendering import render_discussion
from home.blocks import PAGE_APPENDIX_HOOK

hooks.register(PAGE_APPENDIX_HOOK, render_discussion)


@hooks.register(PRIVATE_PATHS_HOOK)
def personal_link_paths():
    """Crawlers stay out of the emailed links and the report pages."""
    return ["discussion/confirm/", "discussion/emails/", "discussion/report/"]
