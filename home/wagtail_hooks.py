from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import Footer, MainMenu, Partner


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
