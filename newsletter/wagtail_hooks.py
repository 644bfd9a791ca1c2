from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from discovery.feeds import FEEDS_HOOK, SiteFeed
from discovery.sitemaps import PRIVATE_PATHS_HOOK
from home.blocks import SUBSCRIPTION_FORM_HOOK
from mailroom.incoming import HANDLER_HOOK
from newsletter import admin_subscriber_status, admin_subscribers, incoming_mail
from newsletter.models import NewsletterIndexPage, Subscriber
from newsletter.templatetags.newsletter_tags import subscribe_form
from pagecache.warmup import WARM_PAGES_HOOK


class SubscriberViewSet(SnippetViewSet):
    """Subscribers in the admin: listed, searchable, filtered and exported; only the
    status is edited (address, language and consent come from the subscriber
    through the form). Also: importing the old list and inviting it, and per person
    a data export and erasure (GDPR; "Delete" erases). See admin_subscribers.py."""

    model = Subscriber
    icon = "mail"
    menu_label = _("Subscribers")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["email", "language", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    list_export = [
        "email",
        "language",
        "status",
        "countries",
        "consent_text_version",
        "consent_given_at",
        "consent_source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "invitation_sent_at",
        "status_changed_at",
    ]
    export_filename = "subscribers"
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = admin_subscribers.SubscriberIndexView
    inspect_view_class = admin_subscribers.SubscriberInspectView
    delete_view_class = admin_subscribers.EraseView
    add_view_class = admin_subscribers.NoAddView
    delete_template_name = "newsletter/subscribers_admin/erase.html"
    edit_handler = ObjectList(
        [
            FieldPanel("email", read_only=True),
            FieldPanel("language", read_only=True),
            FieldPanel("status"),
            # Shown only for a bounced or complained address (SubscriberEditForm).
            MultiFieldPanel(
                [
                    FieldPanel("reinstated_consent_given_at"),
                    FieldPanel("reinstated_consent_source"),
                ],
                heading=_("Reinstate with the person’s new consent"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("consent_text_version", read_only=True),
                    FieldPanel("consent_given_at", read_only=True),
                    FieldPanel("consent_source", read_only=True),
                ],
                heading=_("Consent"),
            ),
        ],
        base_form_class=admin_subscriber_status.SubscriberEditForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", admin_subscribers.ImportView.as_view(), name="import"),
            path("invitations/", admin_subscribers.InvitationsView.as_view(), name="invitations"),
            path(
                "export-data/<str:pk>/",
                admin_subscribers.ExportDataView.as_view(),
                name="export_data",
            ),
        ]


register_snippet(SubscriberViewSet)


@hooks.register(SUBSCRIPTION_FORM_HOOK)
def subscription_form(context):
    """The form of the shared "Subscribe" block."""
    return subscribe_form(context)


@hooks.register(FEEDS_HOOK)
def issues_feed():
    return [SiteFeed("newsletter:feed", _("Newsletter issues (RSS)"))]


@hooks.register(WARM_PAGES_HOOK)
def latest_issues():
    """The latest issue in each language, which an issue's email sends readers to:
    warmed after each change (pagecache.warmup)."""
    indexes = NewsletterIndexPage.objects.live().public()
    return [issue for index in indexes if (issue := index.get_issues().first())]


@hooks.register(PRIVATE_PATHS_HOOK)
def personal_link_paths():
    return [
        "newsletter/confirm/",
        "newsletter/unsubscribe/",
        "newsletter/preferences/",
        "newsletter/accept/",
    ]


# The admin views and buttons to send issues register their hooks on import.
from newsletter import admin_sending  # noqa: E402, F401


@hooks.register(HANDLER_HOOK)
def handle_incoming_mail(message):
    # Delivery reports, complaints and unsubscribe requests (`manage.py process_mail`).
    return incoming_mail.handle(message)
