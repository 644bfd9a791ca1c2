"""The translation status board's rows: for every English page and translatable
snippet, whether its French and Dutch versions are missing, out of date, in progress
or up to date, in a fixed number of queries whatever the number of objects.

wagtail-localize has no such overview (wagtail-localize#832). How each status is
decided, and why so, is in docs/translation-status.md.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.models import (
    ClusterableModel,
    get_all_child_relations,
    get_field_value,
    get_serializable_data_for_fields,
)
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from translation_workflow.roles import translatable_snippet_models

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

_ABSENT = object()


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
            translation = translations.get((source["id"], locale.pk)) if source else None
            if target.get("alias_of_id"):
                if translation and translation["enabled"]:
                    total, done = progress.get((source["id"], locale.pk), (0, 0))
                    note = _("%(done)s of %(total)s strings translated, not yet published")
                    cells.append(
                        Cell(
                            locale,
                            IN_PROGRESS,
                            note % {"done": done, "total": total},
                            target,
                            source["id"],
                        )
                    )
                else:
                    cells.append(Cell(locale, MISSING, _("Alias of the English page")))
                continue
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
