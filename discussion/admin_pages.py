"""Where the admin points moderators and editors to a discussion: a panel on the
dashboard ("N contributions wait for moderation"), and in the page editor's header
menu of a page with a discussion, "Discussion: N waiting" and the switch that turns
the page's discussion off or on (every language version: they share it)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from discussion import moderation, waiting
from discussion.models import Contribution, Discussion
from discussion.rendering import has_discussion


def listing_url(**filters):
    url = reverse(Contribution.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode(filters)}" if filters else url


class WaitingPanel(Component):
    """The dashboard's count of what waits, for moderators; nothing when nothing does."""

    name = "discussion_waiting"
    template_name = "discussion/admin/waiting_panel.html"
    order = 210

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context):
        return {
            "pending": self.counts["pending"],
            "reported": self.counts["reported"],
            "pending_url": listing_url(state=Contribution.State.PENDING),
            "reported_url": listing_url(reported="true"),
        }


def homepage_panel(request, panels):
    """`construct_homepage_panels`."""
    if not request.user.has_perm(waiting.MODERATE_PERMISSION):
        return
    counts = waiting.counts()
    if counts["pending"] or counts["reported"]:
        panels.append(WaitingPanel(counts))


class _MenuItem(PageMenuItem):
    def __init__(self, *, permission_check, **kwargs):
        super().__init__(**kwargs)
        self.permission_check = permission_check

    def is_shown(self, user):
        return self.permission_check(user)


def _is_discussed(page):
    # The header gives the page (possibly not specific): its type decides.
    return has_discussion(page.specific_deferred)


def _discussion_open(page):
    discussion = Discussion.objects.filter(translation_key=page.translation_key).first()
    return discussion is None or discussion.is_open


def page_header_buttons(page, user, view_name, next_url=None):
    """`register_page_header_buttons`."""
    if page.pk is None or not _is_discussed(page):
        return
    if user.has_perm(waiting.VIEW_PERMISSION):
        counts = waiting.counts_for_page(page)
        yield _MenuItem(
            label=_("Discussion: %(count)s waiting") % {"count": counts["pending"]},
            url=listing_url(page=page.pk),
            icon_name="comment",
            priority=85,
            page=page,
            permission_check=lambda user: user.has_perm(waiting.VIEW_PERMISSION),
        )
    is_open = _discussion_open(page)
    yield _MenuItem(
        label=_("Turn the discussion off") if is_open else _("Turn the discussion on"),
        url=reverse("discussion_admin:switch", args=[page.pk]),
        icon_name="comment",
        priority=86,
        page=page,
        permission_check=lambda user: page.permissions_for_user(user).can_edit(),
    )


@require_http_methods(["GET", "POST"])
def switch(request, page_id):
    """Confirm, then turn the page's discussion off or on (all its languages)."""
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if not _is_discussed(page):
        raise PermissionDenied
    is_open = _discussion_open(page)
    if request.method == "POST":
        turn_on = request.POST.get("open") == "1"
        moderation.set_open(page.translation_key, turn_on)
        messages.success(
            request,
            _("The discussion is on: readers may post.")
            if turn_on
            else _("The discussion is off: readers can no longer post."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "discussion/admin/switch.html",
        {
            "page": page,
            "is_open": is_open,
            "page_title": _("Turn the discussion off") if is_open else _("Turn the discussion on"),
        },
    )
