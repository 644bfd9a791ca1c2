"""The translation status board: for every English page and translatable snippet,
whether its French and Dutch versions are missing, out of date, in progress or up
to date, with a link to act on each. Shown in the admin under Reports.

wagtail-localize has no such overview (wagtail-localize#832); its own
"Translations" report lists Translation records, not what is *not* translated,
and costs several queries per row.

How each status is decided
--------------------------
For a source object (English) and a target locale:

missing
    No version in that locale, or only an alias of the English page (an alias
    shows the English text).

out of date
    For a *synced* translation (an enabled wagtail-localize ``Translation``): the
    English object's current content differs from what was last sent for
    translation. wagtail-localize keeps that snapshot in
    ``TranslationSource.content_json`` (written by ``get_or_create_from_instance``
    and refreshed by ``update_from_db`` when someone syncs). We serialise the
    current object exactly as wagtail-localize does (modelcluster's
    ``get_field_value`` per field; child relations as a list of serialised
    children) and compare only the fields wagtail-localize translates or
    synchronises (``get_translatable_fields``): those are what a sync would
    change in the translation.

    Why not compare timestamps (``last_published_at`` against
    ``TranslationSource.last_updated_at``)? Snippets here have no timestamps, and
    for pages they give false alarms: publishing without a change, a scheduled
    publish or a later republish all bump ``last_published_at`` (the demo's home
    page is republished after its translation source is taken), and a sync of
    unchanged content leaves ``last_updated_at`` alone, so the row could never go
    back to "up to date". Why not compare the whole ``content_json``, as
    wagtail-localize's ``update_or_create_from_instance`` does? It holds
    bookkeeping (``live_revision``, ``has_unpublished_changes``, locks…) that
    changes without any text changing. The content comparison is cheap: the
    English objects and their snapshots are each fetched in one query per model,
    and the comparison is plain Python.

    Only the live row counts: an unpublished draft of the English page is not
    what a sync would send (wagtail-localize reads the page row, not the latest
    revision), so it does not make translations out of date until published.

    For a translation *not* synced by wagtail-localize (translated by hand, or
    "Stop synced translation" was used), no snapshot describes it. A page is
    then out of date when the English page was published after the translation
    was last edited; a snippet has no timestamps and counts as up to date (the
    board says it is not synced).

in progress
    A synced translation whose source is unchanged, but where not every string
    has been translated yet (``Translation.get_progress()``, computed here for
    all translations in one query; untranslated strings show English on the
    site), or whose page has not been saved since the source was last synced
    (a sync without "publish" leaves the old text on the page until a
    translator publishes it from the translation editor).

up to date
    Everything else: a real translation, in sync with the English content and
    fully translated.

Query count
-----------
Fixed, whatever the number of objects: locales, English pages (one query plus
one per page type), one per translatable child relation (form fields), one per
snippet model for the English objects and one for their translations, target
pages, translation sources, translations and translation progress. Rows are
assembled from dictionaries keyed by ``translation_key``.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from modelcluster.models import (
    ClusterableModel,
    get_all_child_relations,
    get_field_value,
    get_serializable_data_for_fields,
)
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from home.translator_roles import restricted_locale_ids

MISSING = "missing"
OUT_OF_DATE = "out_of_date"
IN_PROGRESS = "in_progress"
UP_TO_DATE = "up_to_date"

STATUS_LABELS = {
    MISSING: _("Missing"),
    OUT_OF_DATE: _("Out of date"),
    IN_PROGRESS: _("In progress"),
    UP_TO_DATE: _("Up to date"),
}

KIND_PAGE = "page"
KIND_SNIPPET = "snippet"

PER_PAGE = 25

_ABSENT = object()


@dataclass
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass
class Cell:
    """The state of one object in one target locale."""

    locale: Locale
    status: str
    note: str = ""
    target: dict | None = None  # the translation's pk (and path, owner for pages)
    source_id: int | None = None  # the English TranslationSource, when synced
    links: list = field(default_factory=list)

    @property
    def label(self):
        return STATUS_LABELS[self.status]


@dataclass
class Row:
    """One English page or snippet and its state in each target locale."""

    kind: str
    instance: object
    cells: list
    edit_url: str = ""

    @property
    def title(self):
        if self.kind == KIND_PAGE:
            return self.instance.get_admin_display_title()
        return str(self.instance)

    @property
    def type_label(self):
        return type(self.instance)._meta.verbose_name


def translatable_snippet_models():
    """Snippet models wagtail-localize can translate."""
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def source_and_target_locales(locales=None):
    """The source locale (the default language) and the others, without a query when
    `locales` is given."""
    locales = list(Locale.objects.order_by("pk")) if locales is None else list(locales)
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    source = next(
        (locale for locale in locales if locale.language_code == default_code), locales[0]
    )
    return source, [locale for locale in locales if locale.pk != source.pk]


@cache
def _compared_fields(model):
    """The concrete fields and child relations of `model` that wagtail-localize
    translates or synchronises: what a sync would change in a translation."""
    child_relations = {}
    if issubclass(model, ClusterableModel):
        child_relations = {rel.get_accessor_name(): rel for rel in get_all_child_relations(model)}
    concrete, children = [], []
    for translatable_field in get_translatable_fields(model):
        name = translatable_field.field_name
        if name in child_relations:
            children.append(child_relations[name])
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # Many-to-many fields are not translated by wagtail-localize (and would cost a
        # query per object): left out.
        if model_field.concrete and not model_field.many_to_many:
            concrete.append(model_field)
    return tuple(concrete), tuple(children)


def _serialise_child(child):
    if hasattr(child, "serializable_data"):
        return child.serializable_data()
    return get_serializable_data_for_fields(child)


def _children_by_parent(model, instances):
    """{relation accessor: {parent pk: [serialised children]}} for the translatable
    child relations of `model`: one query per relation, in the relation's order."""
    _concrete, relations = _compared_fields(model)
    result = {}
    for rel in relations:
        by_parent = {}
        children = rel.related_model._default_manager.filter(
            **{f"{rel.field.name}__in": [instance.pk for instance in instances]}
        )
        for child in children:
            by_parent.setdefault(getattr(child, rel.field.attname), []).append(
                _serialise_child(child)
            )
        result[rel.get_accessor_name()] = by_parent
    return result


def current_content(instance, children=None):
    """The parts of `instance` that wagtail-localize translates or synchronises,
    serialised as in ``TranslationSource.content_json`` (JSON-normalised).

    `children` is what `_children_by_parent` returned for the instance's model;
    without it child relations are read from the database.
    """
    concrete, relations = _compared_fields(type(instance))
    data = {model_field.name: get_field_value(model_field, instance) for model_field in concrete}
    for rel in relations:
        name = rel.get_accessor_name()
        if children is None:
            data[name] = [_serialise_child(child) for child in getattr(instance, name).all()]
        else:
            data[name] = children.get(name, {}).get(instance.pk, [])
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def content_changed(current, content_json):
    """Whether `current` (from `current_content`) differs from a stored snapshot.

    A field the snapshot lacks (added to the model since) counts as changed only
    if it now holds something.
    """
    stored = json.loads(content_json)
    for name, value in current.items():
        old = stored.get(name, _ABSENT)
        if old is _ABSENT:
            if value not in (None, "", [], {}):
                return True
        elif old != value:
            return True
    return False


def _progress_by_translation(source_locale, target_ids):
    """{(source id, target locale id): (total strings, translated strings)} for every
    enabled translation from `source_locale`: `Translation.get_progress()` for all
    of them in one query."""
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=OuterRef("target_locale_id"),
        has_error=False,
    )
    rows = (
        StringSegment.objects.filter(
            source__locale=source_locale,
            source__translations__enabled=True,
            source__translations__target_locale_id__in=target_ids,
        )
        .annotate(target_locale_id=F("source__translations__target_locale_id"))
        .annotate(is_translated=Exists(translated))
        .values("source_id", "target_locale_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(is_translated=True)))
    )
    return {
        (row["source_id"], row["target_locale_id"]): (row["total"], row["done"]) for row in rows
    }


def _english_pages(source_locale):
    pages = list(Page.objects.filter(locale=source_locale, depth__gt=1).order_by("path").specific())
    children = {}
    for model in {type(page) for page in pages}:
        if _compared_fields(model)[1]:
            children[model] = _children_by_parent(
                model, [page for page in pages if type(page) is model]
            )
    return [(page, children.get(type(page))) for page in pages]


def _english_snippets(source_locale):
    objects = []
    for model in translatable_snippet_models():
        # select_related: some snippets name themselves after their locale.
        instances = list(
            model._default_manager.filter(locale=source_locale).select_related("locale")
        )
        children = _children_by_parent(model, instances) if _compared_fields(model)[1] else None
        objects.extend((instance, children) for instance in instances)
    return objects


def _page_last_edited(target):
    return target["latest_revision_created_at"] or target["last_published_at"]


def translation_status_rows(kind=None, locales=None):
    """Rows for every English page and translatable snippet, with one cell per
    target locale (all locales but the default one, or `locales`).

    `kind` is KIND_PAGE, KIND_SNIPPET or None for both. Links are not set here:
    see `add_links`, which depends on the user.
    """
    all_locales = list(Locale.objects.order_by("pk"))
    source_locale, target_locales = source_and_target_locales(all_locales)
    if locales is not None:
        wanted = {locale.pk for locale in locales}
        target_locales = [locale for locale in target_locales if locale.pk in wanted]
    target_ids = [locale.pk for locale in target_locales]

    objects = []
    targets = {}  # (translation_key, locale id) -> target values
    if kind in (None, KIND_PAGE):
        objects += [(KIND_PAGE, page, children) for page, children in _english_pages(source_locale)]
        for target in Page.objects.filter(locale_id__in=target_ids, depth__gt=1).values(
            "pk",
            "translation_key",
            "locale_id",
            "alias_of_id",
            "latest_revision_created_at",
            "last_published_at",
            "path",
            "owner_id",
        ):
            targets[(target["translation_key"], target["locale_id"])] = target
    if kind in (None, KIND_SNIPPET):
        objects += [
            (KIND_SNIPPET, obj, children) for obj, children in _english_snippets(source_locale)
        ]
        for model in translatable_snippet_models():
            for target in model._default_manager.filter(locale_id__in=target_ids).values(
                "pk", "translation_key", "locale_id"
            ):
                targets[(target["translation_key"], target["locale_id"])] = target

    sources = {
        source["object_id"]: source
        for source in TranslationSource.objects.filter(locale=source_locale).values(
            "id", "object_id", "content_json", "last_updated_at"
        )
    }
    translations = {
        (translation["source_id"], translation["target_locale_id"]): translation
        for translation in Translation.objects.filter(
            source__locale=source_locale, target_locale_id__in=target_ids
        ).values("source_id", "target_locale_id", "enabled")
    }
    progress = _progress_by_translation(source_locale, target_ids) if target_ids else {}

    rows = []
    for row_kind, instance, children in objects:
        key = instance.translation_key
        source = sources.get(key)
        changed = None  # computed once per object, only if a synced translation needs it
        cells = []
        for locale in target_locales:
            target = targets.get((key, locale.pk))
            if target is None:
                cells.append(Cell(locale, MISSING))
                continue
            if target.get("alias_of_id"):
                cells.append(Cell(locale, MISSING, _("Alias of the English page")))
                continue
            translation = translations.get((source["id"], locale.pk)) if source else None
            if translation is None or not translation["enabled"]:
                status, note = UP_TO_DATE, _("Not synced: translated by hand")
                if row_kind == KIND_PAGE:
                    published = instance.last_published_at
                    edited = _page_last_edited(target)
                    if published and edited and published > edited:
                        status = OUT_OF_DATE
                cells.append(Cell(locale, status, note, target))
                continue
            if changed is None:
                changed = content_changed(
                    current_content(instance, children), source["content_json"]
                )
            cell = Cell(locale, UP_TO_DATE, "", target, source["id"])
            total, done = progress.get((source["id"], locale.pk), (0, 0))
            if changed:
                cell.status = OUT_OF_DATE
                cell.note = _("The English changed since it was last sent for translation")
            elif done < total:
                cell.status = IN_PROGRESS
                cell.note = _("%(done)s of %(total)s strings translated") % {
                    "done": done,
                    "total": total,
                }
            elif row_kind == KIND_PAGE and (
                (edited := _page_last_edited(target)) is None or edited < source["last_updated_at"]
            ):
                cell.status = IN_PROGRESS
                cell.note = _("Synced, not yet saved in this language")
            cells.append(cell)
        rows.append(Row(row_kind, instance, cells))
    return rows


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
    languages (`home.translator_roles`) get no link touching another language
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
                if rights.can_submit and rights.may_touch(instance.locale_id, locale_id):
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

    template_name = "home/admin/translation_status.html"
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


@hooks.register("register_admin_urls")
def register_translation_status_url():
    return [
        path(
            "reports/translation-status/",
            TranslationStatusView.as_view(),
            name="home_translation_status",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return MenuItem(
        _("Translation status"),
        reverse("home_translation_status"),
        name="translation-status",
        icon_name="wagtail-localize-language",
        order=9010,
    )
