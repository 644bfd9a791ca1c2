"""The translator workflow in the admin: the status board under Reports, and the
guards that keep translators to their own language in wagtail-localize's views."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# Imported for what they register: the guards' hooks, wagtail-localize's views
# wrapped (done on import, before Wagtail builds the admin URLs), and the rules that
# keep untranslated text from passing as a translation.
from translation_workflow import (  # noqa: F401
    wagtail_localize_permission_guards,
    wagtail_localize_publishing,
)
from translation_workflow.admin_api import register_pages_endpoint
from translation_workflow.admin_status import TranslationStatusView

# Translators may read an English page's detail in the admin API (admin_api.py).
hooks.register("construct_admin_api", register_pages_endpoint)


@hooks.register("register_admin_urls")
def register_translation_status_url():
    return [
        path(
            "reports/translation-status/",
            TranslationStatusView.as_view(),
            name="translation_status",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return MenuItem(
        _("Translation status"),
        reverse("translation_status"),
        name="translation-status",
        icon_name="wagtail-localize-language",
        order=9010,
    )


@hooks.register("insert_global_admin_js")
def translate_upstream_literals():
    """English literals of Wagtail and wagtail-localize that no catalogue reaches
    (docs/translation.md)."""
    return format_html(
        '<script src="{}"></script>',
        static("translation_workflow/js/upstream_literals.js"),
    )
