"""Event proposals in the admin: who proposed which draft, read-only.

Staff moderate the draft page itself (Wagtail's workflow: "Awaiting your review");
this listing and the draft's header menu give them the organiser's contact details,
which stay off the page. Nobody edits a proposal (it is what the organiser sent);
deleting it (or the draft page) erases those details.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from events.models import EventPage, EventProposal
from security.text import IsolatedColumnsMixin


class EventProposalInspectView(InspectView):
    def get_page_display_value(self):
        """The draft, linked to its editor (where staff moderate it)."""
        page = self.object.page
        return format_html(
            '<a href="{}">{}</a>',
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            page.draft_title,
        )


class EventProposalIndexView(IsolatedColumnsMixin, IndexView):
    # What the organiser typed (the draft's title too), in <bdi>: security/text.py.
    isolated_columns = ("page", "name", "email", "organisation")


class EventProposalViewSet(ModelViewSet):
    model = EventProposal
    icon = "date"
    menu_label = gettext_lazy("Event proposals")
    add_to_admin_menu = True
    menu_order = 306
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # no form is shown (see get_urlpatterns); Wagtail wants one declared
    search_fields = ["name", "email", "organisation", "page__title"]
    list_filter = ["language"]
    inspect_view_fields = [
        "page",
        "language",
        "name",
        "email",
        "organisation",
        "consent_text",
        "consent_given_at",
        "created_at",
    ]

    # The first column links to the proposal (with its Inspect and Delete buttons).
    list_display = ["page", "name", "email", "organisation", "language", "created_at"]
    inspect_view_class = EventProposalInspectView
    index_view_class = EventProposalIndexView

    def get_common_view_kwargs(self, **kwargs):
        # Read-only: no "Add" button, no edit form.
        return super().get_common_view_kwargs(
            **{**kwargs, "add_url_name": None, "edit_url_name": None}
        )

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in {"add", "edit"}]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=EventProposal.objects.select_related("page"), **kwargs
        )


@hooks.register("register_admin_viewset")
def register_viewset():
    return EventProposalViewSet("event_proposals")


class _ProposalMenuItem(PageMenuItem):
    def is_shown(self, user):
        return user.has_perm("events.view_eventproposal")


@hooks.register("register_page_header_buttons")
def proposal_header_button(page, user, view_name, next_url=None):
    """'Proposed by' in the page header's menu of a draft that came from the form."""
    if page.specific_class is not EventPage or not user.has_perm("events.view_eventproposal"):
        return
    proposal = EventProposal.objects.filter(page_id=page.pk).only("pk").first()
    if proposal:
        yield _ProposalMenuItem(
            label=_("Proposed by…"),
            url=reverse("event_proposals:inspect", args=[proposal.pk]),
            icon_name="user",
            priority=81,
            page=page,
        )
