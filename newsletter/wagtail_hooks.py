from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsletter.models import Subscriber


class SubscriberViewSet(SnippetViewSet):
    """Subscribers in the admin: listed and searchable; only the status is edited
    (address, language and consent come from the subscriber through the form)."""

    model = Subscriber
    icon = "mail"
    menu_label = _("Subscribers")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["email", "language", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        FieldPanel("email", read_only=True),
        FieldPanel("language", read_only=True),
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldPanel("consent_text_version", read_only=True),
                FieldPanel("consent_given_at", read_only=True),
                FieldPanel("consent_source", read_only=True),
            ],
            heading=_("Consent"),
        ),
    ]


register_snippet(SubscriberViewSet)
