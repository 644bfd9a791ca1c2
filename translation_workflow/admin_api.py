"""The admin API's pages endpoint, letting translators read the detail of an English
page: wagtail-localize's translation editor fetches it to show a chosen page's title
(a story's project), and Wagtail's endpoint answers only for explorable pages, so the
editor's panel waited forever. Listings, actions, the explorer, the editor and the
page chooser keep Wagtail's rules (docs/translator-roles.md)."""

from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.models import Locale, Page

from translation_workflow.roles import restricted_locale_ids


class TranslatorPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.action != "detail_view" or restricted_locale_ids(self.request.user) is None:
            return queryset
        # GET only (the action view is a POST): the source pages translators translate.
        return queryset | Page.objects.filter(locale=Locale.get_default())


def register_pages_endpoint(router):
    """For the `construct_admin_api` hook: replaces Wagtail's "pages" endpoint."""
    router.register_endpoint("pages", TranslatorPagesAdminAPIViewSet)
