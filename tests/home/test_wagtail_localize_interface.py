"""wagtail-localize's translation comments in the admin user's language
(translation_workflow/wagtail_localize_interface.py)."""

import datetime

import pytest
from django.utils import translation
from wagtail_localize.models import StringTranslation

from translation_workflow import wagtail_localize_interface as interface


def test_upstream_get_comment_is_the_one_the_patch_replaces():
    """Fails when an upgrade of wagtail-localize changes get_comment(): compare the
    new source with the patch, update or remove the patch, then the hash."""
    assert interface.upstream_get_comment_sha256() == interface.UPSTREAM_GET_COMMENT_SHA256


def test_the_patch_is_installed():
    assert StringTranslation.get_comment is interface.get_comment


@pytest.mark.parametrize(
    "language, tool_name, expected",
    [
        ("fr", "PO File", "Traduit avec un fichier PO le 3 décembre 2026"),
        ("nl", "PO File", "Vertaald met een PO-bestand op 3 december 2026"),
        ("fr", "load_demo", "Traduit avec le contenu de démonstration le 3 décembre 2026"),
        ("en", "PO File", "Translated with a PO file on 3 December 2026"),
        ("fr", "DeepL", "Traduit avec DeepL le 3 décembre 2026"),
    ],
)
def test_comment_in_the_users_language(language, tool_name, expected):
    string_translation = StringTranslation(
        tool_name=tool_name,
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        updated_at=datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC),
    )
    with translation.override(language):
        assert string_translation.get_comment() == expected


def test_manual_comment_in_dutch():
    string_translation = StringTranslation(
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        updated_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC),
    )
    with translation.override("nl"):
        assert "1 mei 2026" in string_translation.get_comment()
