"""Create demo objects idempotently, with stable identities.

Every page, snippet and StreamField block gets an id derived from a stable name
(uuid5), so a fresh build always produces the same translation keys and block
ids. Shipped translation files (PO), which wagtail-localize keys by those ids,
then match every build. An object that already exists is left untouched, so a
second run changes nothing and never overwrites an editor's work.
"""

import uuid
from collections import Counter

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.models import Locale, Page

from demo.images import illustration_png

OLD_POSTER_ALT = "Poster reading"
NAMESPACE = uuid.UUID("5b0b7a3e-2f51-4f0c-9a53-8d6f0c1a7e21")


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

        Demos built before the illustrations had posters with English words on them
        (alt text "Poster reading …"): those are redrawn, nothing else is touched.
        """
        Image = apps.get_model("home", "CustomImage")
        image = Image.objects.filter(title=title).first()
        if image and not image.description.startswith(OLD_POSTER_ALT):
            return image
        if image is None:
            image = Image(title=title, credit="Generated demo image")
            self.created["images"] += 1
        else:
            image.renditions.all().delete()  # of the old poster
        slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
        png = illustration_png(motif, colour)
        image.file = ImageFile(ContentFile(png), name=f"demo-{slug}.png")
        image.description = alt_text
        image._set_image_file_metadata()
        image.save()
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
