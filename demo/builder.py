"""Create demo objects idempotently, with stable identities.

Every page, snippet and StreamField block gets an id derived from a stable name
(uuid5), so a fresh build always produces the same translation keys and block
ids. Shipped translation files (PO), which wagtail-localize keys by those ids,
then match every build. An object that already exists is left untouched, so a
second run changes nothing and never overwrites an editor's work.
"""

import uuid
from collections import Counter
from pathlib import PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.models import Locale, Page

from demo.images import ILLUSTRATION_VERSION, illustration

OLD_POSTER_ALT = "Poster reading"
NAMESPACE = uuid.UUID("5b0b7a3e-2f51-4f0c-9a53-8d6f0c1a7e21")


def _drawn_before(image, slug, name):
    """Whether `image` holds a drawing of an earlier version of demo/images.py."""
    if image.description.startswith(OLD_POSTER_ALT):
        return True
    stem = PurePosixPath(image.file.name).stem
    # The storage may add "_<random>" to a name already taken; slugs have no "_".
    return stem.startswith(f"demo-{slug}") and stem.split("_")[0] != name


def stable_uuid(name):
    return uuid.uuid5(NAMESPACE, name)


class DemoBuilder:
    def __init__(self):
        self.locale = Locale.get_default()
        self.created = Counter()
        # Every translatable object of the demo, by stable key, in creation order
        # (parents before children): what the shipped translations apply to.
        self.registry = {}

    # --- StreamField values -------------------------------------------------
    def stream(self, owner, blocks):
        """Raw StreamField data for `blocks` [(type, value), …] with ids derived
        from `owner` (a stable name) and each block's position. A block given as
        None (about an app not installed) is left out and keeps its position."""
        return [
            {"type": block[0], "value": block[1], "id": str(stable_uuid(f"{owner}#{n}"))}
            for n, block in enumerate(blocks)
            if block is not None
        ]

    def list_items(self, owner, values):
        """Raw ListBlock data with stable item ids (None values left out, as above)."""
        return [
            {"type": "item", "value": value, "id": str(stable_uuid(f"{owner}#item{n}"))}
            for n, value in enumerate(values)
            if value is not None
        ]

    # --- Images and snippets ------------------------------------------------
    def image(self, title, alt_text, motif, colour):
        """A generated illustration (demo/images.py), found or created by its title.

        An image this builder drew with an earlier version of the drawings (its file
        is still `demo-<slug>…`, not this version's), or a poster of the first demos
        (with English words on it: alt text "Poster reading …"), is redrawn, its
        renditions and old file removed; an image whose file an editor replaced is
        left as it is, like everything else.
        """
        Image = apps.get_model("home", "CustomImage")
        slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
        name = f"demo-{slug}-v{ILLUSTRATION_VERSION}"
        image = Image.objects.filter(title=title).first()
        if image and not _drawn_before(image, slug, name):
            return image
        old_file = None
        if image is None:
            image = Image(title=title, credit="Generated demo image")
            self.created["images"] += 1
        else:
            old_file = image.file.name
            image.renditions.all().delete()  # drawn from the old file
        image.file = ImageFile(ContentFile(illustration(motif, colour)), name=f"{name}.jpg")
        image.description = alt_text
        image._set_image_file_metadata()
        image.save()
        if old_file and old_file != image.file.name:
            image.file.storage.delete(old_file)
        return image

    def snippet(self, model_label, key, **fields):
        """A translatable snippet in the source locale, found or created by its key."""
        Model = apps.get_model(model_label)
        translation_key = stable_uuid(f"{model_label}:{key}")
        obj = Model.objects.filter(translation_key=translation_key, locale=self.locale).first()
        if obj is None:
            obj = Model(translation_key=translation_key, locale=self.locale, **fields)
            obj.full_clean()
            obj.save()
            self.created["snippets"] += 1
        self.registry[f"{model_label.lower()}--{key}"] = obj
        return obj

    # --- Pages --------------------------------------------------------------
    def page(self, parent, model_label, key, *, relations=None, children=None, **fields):
        """A published page under `parent`, found or created by its stable key.

        `relations` holds ParentalManyToMany values ({field: [objects]}),
        `children` inline objects ({relation: [(Model, {fields}), …]}).
        """
        Model = apps.get_model(model_label)
        translation_key = stable_uuid(f"page:{key}")
        existing = Model.objects.filter(translation_key=translation_key, locale=self.locale).first()
        if existing:
            self.registry[f"page--{key.replace('/', '--')}"] = existing
            return existing
        page = Model(translation_key=translation_key, locale=self.locale, **fields)
        for name, objects in (relations or {}).items():
            setattr(page, name, objects)
        for name, rows in (children or {}).items():
            setattr(
                page,
                name,
                [
                    ChildModel(
                        translation_key=stable_uuid(f"page:{key}:{name}:{n}"),
                        locale=self.locale,
                        sort_order=n,
                        **row,
                    )
                    for n, (ChildModel, row) in enumerate(rows)
                ],
            )
        if parent is None:
            Page.get_first_root_node().add_child(instance=page)
        else:
            parent.add_child(instance=page)
        page.save_revision().publish()
        self.created["pages"] += 1
        page = Model.objects.get(pk=page.pk)
        self.registry[f"page--{key.replace('/', '--')}"] = page
        return page
