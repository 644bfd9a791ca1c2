"""The video block in the editor: the poster is marked required before the first
save, and its help text says what it is for."""

from django.utils import translation
from wagtail.admin.telepath import JSContext

from stories.blocks import VideoBlock


def editor_definition(language):
    """What the editor's JavaScript receives for each field of the block."""
    block = VideoBlock()
    block.set_name("video")
    with translation.override(language):
        packed = JSContext().pack(block)
        fields = {}
        for child in packed["_args"][1]:
            name, _widget, meta = child["_args"]
            # The help text travels once, as the description (helpText refers to it).
            help_text = meta.get("description") or ""
            help_text = help_text.get("_val", "") if isinstance(help_text, dict) else help_text
            fields[name] = {"required": meta["required"], "help": str(help_text)}
        return fields


def test_the_poster_is_marked_required_with_help_saying_what_it_is_for():
    fields = editor_definition("en")
    # Wagtail shows an asterisk beside every child whose meta says required.
    assert fields["poster"]["required"] is True
    assert fields["url"]["required"] and fields["title"]["required"]
    assert not fields["poster_alt"]["required"] and not fields["transcript"]["required"]
    help_text = fields["poster"]["help"]
    assert help_text.startswith("Required.")
    assert "shown before the video plays" in help_text
    assert "only thing loaded until the reader clicks" in help_text


def test_the_poster_help_is_translated():
    assert editor_definition("fr")["poster"]["help"].startswith("Obligatoire. L’image affichée")
    assert editor_definition("nl")["poster"]["help"].startswith("Verplicht. De afbeelding")
