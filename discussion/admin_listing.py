"""Contributions in the admin ("Discussions" in the menu): what waits first, filtered
by state, page and language, searched by text and name; each contribution's own
page shows its thread and the moderator's buttons (discussion.admin_actions).

Nobody adds a contribution here (readers write them) nor edits one (it is what the
reader wrote): "Edit" leads to the contribution's page. Deleting one, here or in
bulk, empties its discussion's pages (see `deleted`), as moderating does.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import TitleColumn
from wagtail.models import Page
from wagtail.snippets.views import snippets as snippet_views

from discussion import admin_actions, waiting
from discussion.caching import discussions_changed
from discussion.models import Contribution, Discussion
from security.text import IsolatedColumnsMixin, isolated

State = Contribution.State


def url_name(name):
    return Contribution.snippet_viewset.get_url_name(name)


def page_edit_url(page_id):
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def _discussed_pages(request):
    """The pages (every language version) whose discussion has contributions."""
    # As a list: the discussion keeps the key as text, the pages as a UUID (which a
    # subquery would compare as they are stored: not equal on SQLite, an error on
    # PostgreSQL).
    keys = list(
        Discussion.objects.filter(contributions__isnull=False)
        .values_list("translation_key", flat=True)
        .distinct()
    )
    return (
        Page.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .order_by("title", "locale__language_code")
    )


class _PageField(django_filters.fields.ModelChoiceField):
    """Offers the pages with contributions, and takes any page (the page header's
    link for a page with none yet: an empty listing, not every contribution)."""

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.locale.language_code})"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        page = None
        if value.isascii() and value.isdigit() and len(value) < 10:
            page = Page.objects.filter(pk=int(value)).select_related("locale").first()
        if page is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return page


class _PageChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _PageField


class ContributionFilterSet(WagtailFilterSet):
    page = _PageChoiceFilter(
        label=gettext_lazy("Page"),
        queryset=_discussed_pages,
        method="filter_page",
        help_text=gettext_lazy("Its contributions in every language."),
    )
    reported = django_filters.BooleanFilter(
        label=gettext_lazy("Reported by readers"),
        method="filter_reported",
        help_text=gettext_lazy("Published, and reported by at least one reader."),
    )

    class Meta:
        model = Contribution
        fields = ["state", "page", "language", "reported"]

    def filter_reported(self, queryset, name, value):
        return queryset.filter(waiting.REPORTED) if value else queryset.exclude(waiting.REPORTED)

    def filter_page(self, queryset, name, value):
        # The language versions of a page share one discussion.
        return queryset.filter(discussion__translation_key=value.translation_key)


class ContributionIndexView(IsolatedColumnsMixin, snippet_views.IndexView):
    # What readers typed (and the page's title), in <bdi>: security/text.py.
    isolated_columns = ("excerpt", "page")

    def get_base_queryset(self):
        return waiting.with_priority(super().get_base_queryset().select_related("page"))

    def order_queryset(self, queryset):
        if self.ordering:  # a column header was chosen (one of get_valid_orderings)
            return queryset.order_by(self.ordering, "-pk")
        # What waits first (pending, then reported), then newest first.
        return queryset.order_by("moderation_priority", "-created_at", "-pk")

    def _get_custom_column(self, field_name, column_class=None, **kwargs):
        if field_name == "page":
            column_class = TitleColumn
            kwargs["get_url"] = lambda c: page_edit_url(c.page_id) if c.page_id else None
        return super()._get_custom_column(field_name, column_class, **kwargs)

    @property
    def add_url(self):
        return None  # readers write contributions

    def get_edit_url(self, instance):
        return self.get_inspect_url(instance)  # nothing to edit: its page

    def get_list_more_buttons(self, instance):
        inspect_url = self.get_inspect_url(instance)
        return [
            button
            for button in super().get_list_more_buttons(instance)
            if not (button.url == inspect_url and button.priority == 10)  # "Edit"
        ]


class ContributionInspectView(snippet_views.InspectView):
    template_name = "discussion/admin/inspect.html"

    def get_object(self, queryset=None):
        contributions = Contribution.objects.select_related(
            "page", "parent", "author", "moderated_by", "staff_user"
        )
        return contributions.filter(pk=self.pk).first() or super().get_object(queryset)

    def get_edit_url(self):
        return None

    @cached_property
    def can_moderate(self):
        return self.request.user.has_perm(waiting.MODERATE_PERMISSION)

    def get_text_display_value(self):
        text = isolated(self.object.text)
        return format_html('<div style="white-space: pre-line">{}</div>', text)

    def get_name_display_value(self):
        return isolated(self.object.name)

    def get_page_display_value(self):
        page = self.object.page
        if page is None:
            return _("(deleted)")
        return format_html('<a href="{}">{}</a>', page_edit_url(page.pk), isolated(page.title))

    def get_parent_display_value(self):
        parent = self.object.parent
        if parent is None:
            return "-"
        url = reverse(url_name("inspect"), args=[parent.pk])
        return format_html('<a href="{}">{}</a>', url, isolated(str(parent)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contribution = self.object
        replies = contribution.replies.order_by("created_at", "pk")
        context.update(
            can_moderate=self.can_moderate,
            replies=[(reply, reverse(url_name("inspect"), args=[reply.pk])) for reply in replies],
            reports=contribution.reports.order_by("created_at"),
            actions=admin_actions.available_actions(contribution) if self.can_moderate else [],
            moderate_url=reverse(url_name("moderate"), args=[contribution.pk]),
            answer_url=(
                reverse(url_name("answer"), args=[contribution.pk])
                if self.can_moderate and admin_actions.can_answer(contribution)
                else None
            ),
            # Only moderators see a reader's address (translators never do).
            author_email=contribution.author.email
            if self.can_moderate and contribution.author
            else None,
        )
        return context


def _require_view(view):
    if not view.user_has_any_permission({"view", "change", "delete"}):
        raise PermissionDenied


class NoAddView(snippet_views.CreateView):
    def dispatch(self, request, *args, **kwargs):
        _require_view(self)
        messages.warning(request, _("Readers write contributions, under the pages."))
        return redirect(url_name("list"))


class NoEditView(snippet_views.EditView):
    """What a reader wrote is not edited: "Edit" shows the contribution."""

    def dispatch(self, request, *args, **kwargs):
        _require_view(self)
        return redirect(url_name("inspect"), kwargs["pk"])


class ContributionViewSet(snippet_views.SnippetViewSet):
    model = Contribution
    icon = "comment"
    menu_label = gettext_lazy("Discussions")
    add_to_admin_menu = True
    menu_order = 307
    list_display = ["excerpt", "page", "language", "state", "report_count", "created_at"]
    filterset_class = ContributionFilterSet
    search_fields = ["text", "name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "text",
        "name",
        "page",
        "parent",
        "language",
        "state",
        "is_office_answer",
        "report_count",
        "created_at",
        "moderated_at",
        "moderated_by",
        "reason",
    ]
    index_view_class = ContributionIndexView
    inspect_view_class = ContributionInspectView
    add_view_class = NoAddView
    edit_view_class = NoEditView

    def register_chooser_viewset(self):
        """None: nothing chooses a contribution, and Wagtail's snippet choosers check
        no permission (they would list what readers wrote to any admin user)."""

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/", admin_actions.moderate_one, name="moderate"),
            path("answer/<int:pk>/", admin_actions.answer, name="answer"),
        ]


def deleted(request, instances):
    """`after_delete_snippet`: a deleted contribution (and its replies) leaves its
    discussion's counts and cached pages, as a moderated one does."""
    ids = {c.discussion_id for c in instances if isinstance(c, Contribution)}
    if ids:
        discussions_changed(ids)
