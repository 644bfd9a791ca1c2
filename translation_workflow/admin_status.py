"""Reports → Translation status: the board (translation_workflow.status) with the
links each user may follow, filtered by language, status and kind, paginated."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.admin.utils import quote
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import page_permission_policy

from translation_workflow.roles import restricted_locale_ids
from translation_workflow.status import (
    KIND_PAGE,
    KIND_SNIPPET,
    MISSING,
    OUT_OF_DATE,
    STATUS_LABELS,
    source_and_target_locales,
    translation_status_rows,
)

PER_PAGE = 25


@dataclass
class Link:
    label: str
    url: str
    primary: bool = False


class _UserRights:
    """What one user may do, answered from permissions fetched once per request
    (Django caches model permissions on the user, Wagtail its page permissions),
    so checking every row costs no query."""

    def __init__(self, user):
        self.user = user
        self.can_submit = user.has_perm("wagtail_localize.submit_translation")
        # Translators limited to their languages (None: not limited).
        self.allowed_locale_ids = restricted_locale_ids(user)
        self._snippet_change = {}
        self._page_grants = None
        if user.is_active and not user.is_superuser:
            self._page_grants = [
                (grant.page.path, grant.permission.codename)
                for grant in page_permission_policy.get_cached_permissions_for_user(user)
            ]

    def may_touch(self, *locale_ids):
        return self.allowed_locale_ids is None or set(locale_ids) <= self.allowed_locale_ids

    def can_edit_page(self, path, owner_id):
        """Wagtail's rule (PagePermissionTester.can_edit) without its per-page queries:
        change permission on an ancestor, or add permission and ownership."""
        if not self.user.is_active:
            return False
        if self._page_grants is None:  # superuser
            return True
        codenames = {codename for root, codename in self._page_grants if path.startswith(root)}
        return "change_page" in codenames or ("add_page" in codenames and owner_id == self.user.pk)

    def can_edit_snippet(self, model):
        if model not in self._snippet_change:
            policy = model.snippet_viewset.permission_policy
            self._snippet_change[model] = policy.user_has_permission(self.user, "change")
        return self._snippet_change[model]

    def can_edit(self, row, pk, path=None, owner_id=None):
        """Whether the user may open the edit view of `row`'s object in some locale
        (pk, plus path and owner for a page)."""
        if row.kind == KIND_PAGE:
            return self.can_edit_page(path, owner_id)
        return self.can_edit_snippet(type(row.instance))


def _edit_url(row, pk):
    if row.kind == KIND_PAGE:
        return reverse("wagtailadmin_pages:edit", args=[pk])
    return reverse(type(row.instance).snippet_viewset.get_url_name("edit"), args=[quote(pk)])


def _submit_url(row, locale):
    instance = row.instance
    if row.kind == KIND_PAGE:
        url = reverse("wagtail_localize:submit_page_translation", args=[instance.pk])
    else:
        meta = instance._meta
        url = reverse(
            "wagtail_localize:submit_snippet_translation",
            args=[meta.app_label, meta.model_name, quote(instance.pk)],
        )
    return f"{url}?{urlencode({'select_locale': locale.language_code})}"


def add_links(rows, user, next_url):
    """Set each row's and cell's links to the actions `user` may take.

    The title links to the English object's edit view. Per locale: "Translate"
    (wagtail-localize's submit view, the locale preselected) when missing;
    "Update" (wagtail-localize's sync of the English changes into the
    translations, then back to `next_url`) when a synced translation is out of
    date; "Edit translation" whenever the translation exists: its edit view,
    which wagtail-localize turns into its translation editor for synced
    translations (wagtail-localize has no separate URL for the editor).

    A link is shown only if the user may follow it: submitting and syncing need
    `wagtail_localize.submit_translation`; editing needs change permission on the
    page (per subtree) or the snippet model; and translators limited to their
    languages (`translation_workflow.roles`) get no link touching another language
    (a sync touches every language, so they get none).
    """
    rights = _UserRights(user)
    for row in rows:
        instance = row.instance
        row.edit_url = ""
        if rights.may_touch(instance.locale_id) and rights.can_edit(
            row, instance.pk, getattr(instance, "path", None), getattr(instance, "owner_id", None)
        ):
            row.edit_url = _edit_url(row, instance.pk)

        for cell in row.cells:
            cell.links = []
            locale_id = cell.locale.pk
            if cell.status == MISSING:
                if rights.can_submit and rights.may_touch(locale_id):
                    cell.links.append(Link(_("Translate"), _submit_url(row, cell.locale), True))
                continue
            if (
                cell.status == OUT_OF_DATE
                and cell.source_id
                and rights.can_submit
                and rights.allowed_locale_ids is None
            ):
                url = reverse("wagtail_localize:update_translations", args=[cell.source_id])
                cell.links.append(Link(_("Update"), f"{url}?{urlencode({'next': next_url})}", True))
            target = cell.target
            if rights.may_touch(locale_id) and rights.can_edit(
                row, target["pk"], target.get("path"), target.get("owner_id")
            ):
                cell.links.append(Link(_("Edit translation"), _edit_url(row, target["pk"])))
    return rows


# The admin view -------------------------------------------------------------------

ALL = "all"
KIND_CHOICES = {ALL: None, "pages": KIND_PAGE, "snippets": KIND_SNIPPET}


class TranslationStatusFilterForm(forms.Form):
    """Plain GET filters. A value that is not one of the choices is ignored (the
    filter falls back to "all") rather than failing the page."""

    locale = forms.ChoiceField(label=_("Language"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(ALL, _("All statuses")), *STATUS_LABELS.items()],
    )
    kind = forms.ChoiceField(
        label=_("Content"),
        required=False,
        choices=[
            (ALL, _("Pages and snippets")),
            ("pages", _("Pages")),
            ("snippets", _("Snippets")),
        ],
    )

    def __init__(self, *args, target_locales=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = [
            (ALL, _("All languages")),
            *((locale.language_code, locale.get_display_name()) for locale in target_locales),
        ]

    def cleaned_values(self):
        """The valid filter values, "all" for anything missing or invalid."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or ALL for name in self.fields}


class TranslationStatusView(WagtailAdminTemplateMixin, TemplateView):
    """The board. Anyone with admin access may see it (translators need it); the
    links on it are only those the user may follow."""

    template_name = "translation_workflow/admin/translation_status.html"
    page_title = _("Translation status")
    header_icon = "wagtail-localize-language"
    breadcrumbs_items = []  # the plain header (wagtailadmin/shared/header.html)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _source_locale, target_locales = source_and_target_locales()
        values = TranslationStatusFilterForm(
            self.request.GET, target_locales=target_locales
        ).cleaned_values()
        shown_locales = [
            locale for locale in target_locales if values["locale"] in (ALL, locale.language_code)
        ]
        rows = translation_status_rows(kind=KIND_CHOICES[values["kind"]], locales=shown_locales)

        summary = [
            {
                "locale": locale,
                "counts": [
                    (status, label, sum(1 for row in rows if row.cells[i].status == status))
                    for status, label in STATUS_LABELS.items()
                ],
            }
            for i, locale in enumerate(shown_locales)
        ]
        if values["status"] != ALL:
            rows = [
                row for row in rows if any(cell.status == values["status"] for cell in row.cells)
            ]
        page_obj = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        add_links(page_obj.object_list, self.request.user, self.request.get_full_path())

        context.update(
            {
                # Unbound, so an invalid value shows as "all" instead of an error.
                "filter_form": TranslationStatusFilterForm(
                    initial=values, target_locales=target_locales
                ),
                "is_filtering": any(value != ALL for value in values.values()),
                "locales": shown_locales,
                "summary": summary,
                "page_obj": page_obj,
                "paginator": page_obj.paginator,
                "rows": page_obj.object_list,
                "elided_page_range": page_obj.paginator.get_elided_page_range(page_obj.number),
            }
        )
        return context
