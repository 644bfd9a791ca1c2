from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import Footer, HomePage, MainMenu, Partner
from home.models.base import public
from pagecache.warmup import WARM_PAGES_HOOK


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    list_display = ["name", "description", "website"]
    search_fields = ["name"]


class MainMenuViewSet(SnippetViewSet):
    model = MainMenu
    icon = "list-ul"
    list_display = ["__str__"]


class FooterViewSet(SnippetViewSet):
    model = Footer
    icon = "doc-full"
    list_display = ["__str__", "organisation_name"]


class SiteChromeGroup(SnippetViewSetGroup):
    """Menu, footer and partners under one admin menu item."""

    items = (MainMenuViewSet, FooterViewSet, PartnerViewSet)
    menu_icon = "cogs"
    menu_label = _("Menu, footer, partners")
    menu_name = "site-chrome"


register_snippet(SiteChromeGroup)


@hooks.register(WARM_PAGES_HOOK, order=-1)  # before the apps' own pages
def home_sections():
    """The sections of each home page (the index pages it shows, `home_section_items`),
    warmed after the home pages themselves after each change (pagecache.warmup)."""
    return [
        page
        for home in HomePage.objects.live().public().order_by("path")
        for page in public(home.get_children().live())
        if hasattr(page.specific_class, "home_section_items")
    ]
