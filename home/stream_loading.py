"""A StreamField's blocks converted all at once, with every object chosen anywhere in
it fetched in one query per model and shown in the page's language.

Wagtail converts a stream lazily, one kind of block at a time, and each chooser of
that kind fetches its objects in a query of its own; `home.i18n.localize_stream`
then swaps them for their versions in the language shown (a query per model, and one
per page type for pages whose own fields the block shows). A newsletter issue paid
eleven queries so. Here the stream's raw data is read first, and then:

- the pages chosen anywhere, their live versions in the language shown and the own
  fields of the types the choosers take come in one query (`home.specific`);
- each other model's chosen objects (partners) in one query, and their versions in
  the language shown in one more (`localized_by_key`, as `localize_stream`);
- every image in one query: those chosen and those the chosen objects show (a
  partner's logo, which the partner list would fetch one by one).

The values are the ones Wagtail's conversion and `localize_stream` give
(tests/home/test_wagtail_overrides.py compares them). A stream holding a block that
converts its values its own way (one overriding `bulk_to_python`) is left to them.
"""

from collections import defaultdict

from django.db.models import Q
from wagtail.blocks import ListBlock, StreamBlock, StreamValue
from wagtail.blocks.field_block import ChooserBlock, FieldBlock
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.struct_block import BaseStructBlock
from wagtail.images import get_image_model
from wagtail.models import Page, TranslatableMixin

from home.compiled_queries import CompiledQuery
from home.i18n import _needs_specific, localize_stream, localized_by_key
from home.specific import compiled_with_specific, specific, with_specific

# Ids of one model compiled into a query at most (each number of ids is a query of
# its own); more go through the ORM, which splits them as the database needs.
MAX_COMPILED_IDS = 100
_by_ids = {}


def load_stream(stream_value, locale_id):
    """Convert every block of `stream_value` (as stored, not yet read) in place, its
    chosen pages and snippets in the locale `locale_id`; see the module docstring."""
    block = stream_value.stream_block
    if not stream_value.is_lazy or not _supported(block):
        return localize_stream(stream_value, locale_id)
    raw = [stream_value.raw_data[index] for index in range(len(stream_value))]
    refs = []
    _collect(block, [raw], refs)
    (converted,) = _convert(block, [raw], _resolve(refs, locale_id))
    for index, child in enumerate(converted):
        stream_value[index] = child
    return stream_value


# --- Walking the blocks ------------------------------------------------------------


def _converts_as(block, base):
    return type(block).bulk_to_python is base.bulk_to_python


def _kind(block):
    """How `block` converts its values: the four ways below read Wagtail's code."""
    for kind, base in (
        ("chooser", ChooserBlock),
        ("struct", BaseStructBlock),
        ("list", ListBlock),
        ("stream", StreamBlock),
    ):
        if isinstance(block, base):
            return kind if _converts_as(block, base) else None
    return "field" if isinstance(block, FieldBlock) else None


def _supported(block):
    kind = _kind(block)
    if kind in ("struct", "stream"):
        return all(_supported(child) for child in block.child_blocks.values())
    if kind == "list":
        return _supported(block.child_block)
    return kind is not None


def _list_values(block, raw_lists):
    """The raw values of a ListBlock's items, in either of the formats stored."""
    return [
        item["value"] if block._item_is_in_block_format(item) else item
        for items in raw_lists
        for item in items
    ]


def _by_type(block, raw_streams):
    """For a StreamBlock: the raw values of each type, and for each stream the
    (type, id, index among that type's values) of its blocks of a known type."""
    values, maps = defaultdict(list), []
    for stream in raw_streams:
        block_map = []
        for child in stream:
            kind = child["type"]
            if kind in block.child_blocks:
                block_map.append((kind, child.get("id"), len(values[kind])))
                values[kind].append(child["value"])
        maps.append(block_map)
    return values, maps


def _collect(block, raw_values, refs):
    """Add (chooser, raw id) to `refs` for every object chosen in `raw_values`."""
    kind = _kind(block)
    if kind == "chooser":
        refs.extend((block, value) for value in raw_values if value is not None)
    elif kind == "struct":
        for name, child in block.child_blocks.items():
            _collect(child, [raw[name] for raw in raw_values if name in raw], refs)
    elif kind == "list":
        _collect(block.child_block, _list_values(block, raw_values), refs)
    elif kind == "stream":
        for name, values in _by_type(block, raw_values)[0].items():
            _collect(block.child_blocks[name], values, refs)


def _convert(block, raw_values, resolved):
    """What `block.bulk_to_python(raw_values)` gives, chosen objects taken from
    `resolved` ({(id(chooser), raw id): object})."""
    kind = _kind(block)
    if kind == "chooser":
        return [resolved.get((id(block), value)) for value in raw_values]
    if kind == "struct":
        columns = {}
        for name, child in block.child_blocks.items():
            present = [index for index, raw in enumerate(raw_values) if name in raw]
            values = _convert(child, [raw_values[index][name] for index in present], resolved)
            converted = dict(zip(present, values, strict=True))
            columns[name] = [
                converted[index] if index in converted else child.get_default()
                for index in range(len(raw_values))
            ]
        return [
            block._to_struct_value({name: columns[name][index] for name in block.child_blocks})
            for index in range(len(raw_values))
        ]
    if kind == "list":
        raw_lists = [list(items) for items in raw_values]
        values = iter(_convert(block.child_block, _list_values(block, raw_lists), resolved))
        return [
            ListValue(
                block,
                bound_blocks=[
                    ListValue.ListChild(
                        block.child_block,
                        next(values),
                        id=item["id"] if block._item_is_in_block_format(item) else None,
                    )
                    for item in items
                ],
            )
            for items in raw_lists
        ]
    if kind == "stream":
        values, maps = _by_type(block, raw_values)
        outputs = {
            name: _convert(block.child_blocks[name], raw, resolved) for name, raw in values.items()
        }
        return [
            StreamValue(
                block,
                [(name, outputs[name][index], child_id) for name, child_id, index in block_map],
                is_lazy=False,
            )
            for block_map in maps
        ]
    return block.bulk_to_python(raw_values)


# --- Fetching what the blocks chose ----------------------------------------------------


def _resolve(refs, locale_id):
    """{(id(chooser), raw id): the object shown} for every chosen object."""
    image_model = get_image_model()
    page_refs, by_model = [], defaultdict(list)
    for chooser, value in refs:
        if issubclass(chooser.model_class, Page):
            page_refs.append((chooser, value))
        else:
            by_model[chooser.model_class].append((chooser, value))
    resolved = _resolve_pages(page_refs, locale_id)
    shown = []  # the objects other than pages and images: they may show an image
    for model, model_refs in by_model.items():
        if model is not image_model:
            values = _resolve_objects(model, model_refs, locale_id)
            resolved.update(values)
            shown += values.values()
    images = _resolve_objects(
        image_model, by_model.get(image_model, []), locale_id, also=_image_ids(shown)
    )
    resolved.update({key: image for key, image in images.items() if key[0] is not None})
    for obj in shown:
        for field in _image_fields(type(obj)):
            image = images.get((None, getattr(obj, field.attname)))
            if image is not None:
                setattr(obj, field.name, image)
    return resolved


def _image_fields(model):
    image_model = get_image_model()
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is image_model
    ]


def _image_ids(objects):
    return {
        getattr(obj, field.attname)
        for obj in objects
        for field in _image_fields(type(obj))
        if getattr(obj, field.attname) is not None
    }


def _resolve_objects(model, refs, locale_id, also=()):
    """Chosen objects of a model other than Page, in one query (with the ids `also`,
    given back under the key (None, id)), then their versions in `locale_id`."""
    ids = {value for _, value in refs} | set(also)
    if not ids:
        return {}
    found = _in_bulk(model, ids)
    values = {(id(chooser), value): found[value] for chooser, value in refs if value in found}
    if issubclass(model, TranslatableMixin) and values:
        versions = localized_by_key(model, list(values.values()), locale_id)
        values = {key: versions.get(obj.translation_key, obj) for key, obj in values.items()}
    values.update({(None, pk): found[pk] for pk in also if pk in found})
    return values


def _in_bulk(model, ids):
    """`model.objects.in_bulk(ids)`, its SQL compiled once per model and number of
    ids (the ORM took longer to build it than the database to answer)."""
    ids = sorted({model._meta.pk.get_prep_value(value) for value in ids})
    if len(ids) > MAX_COMPILED_IDS:
        return model.objects.in_bulk(ids)
    query = _by_ids.get(model)
    if query is None:
        query = _by_ids[model] = CompiledQuery(lambda ids: model.objects.filter(pk__in=ids))
    return {obj.pk: obj for obj in query(ids=ids)}


def _chosen_and_versions(ids, locale_id):
    """The pages `ids` and the live versions in `locale_id` of each (compiled once per
    set of types and number of ids: `home.specific.compiled_with_specific`)."""
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    return Page.objects.filter(
        Q(pk__in=ids) | Q(live=True, locale_id=locale_id, translation_key__in=keys)
    ).order_by()


def _resolve_pages(refs, locale_id):
    """Chosen pages as Wagtail gives them, then in `locale_id` as `localize_pages`
    does: one query for both, and for the own fields of the types the choosers take."""
    if not refs:
        return {}
    # As the ORM prepares them (an id stored as text is a number in the query).
    ids = sorted({Page._meta.pk.get_prep_value(value) for _, value in refs})
    models = {chooser.model_class for chooser, _ in refs}
    for chooser, _ in refs:
        if _needs_specific(chooser):
            models.update(chooser.target_models)
    if len(ids) > MAX_COMPILED_IDS:
        rows = with_specific(_chosen_and_versions(ids, locale_id), models)
    else:
        rows = compiled_with_specific(models, _chosen_and_versions)(ids=ids, locale_id=locale_id)
    by_pk, versions = {}, {}
    for row in rows:
        by_pk[row.pk] = row
        if row.live and row.locale_id == locale_id:
            versions[row.translation_key] = row
    chosen = {}  # what Wagtail's choosers give
    for chooser, value in refs:
        row = by_pk.get(value)
        if row is not None and chooser.model_class is not Page:
            row = specific(row, chooser.model_class)  # None when of another type
        if row is not None:
            chosen[id(chooser), value] = (chooser, row)
    specific_keys = {
        page.translation_key for chooser, page in chosen.values() if _needs_specific(chooser)
    }
    resolved = {}
    for key, (_chooser, page) in chosen.items():
        own_fields = page.translation_key in specific_keys
        if page.locale_id != locale_id or (own_fields and type(page) is Page):
            version = versions.get(page.translation_key)
            if version is not None:
                page = (specific(version) or version.specific) if own_fields else version
        resolved[key] = page
    return resolved
