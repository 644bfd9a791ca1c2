"""Translators can work offline: download a PO file, translate, upload, publish."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from home.models import ProjectPage
from tests.helpers import text_of
from tests.translating import translate


def french_translation(page, locale):
    """wagtail-localize's Translation of `page` into French (created if needed)."""
    translate(page, locale)
    source = TranslationSource.objects.get_for_instance(page)
    return Translation.objects.get(source=source, target_locale=locale)


@pytest.fixture
def niger(locales):
    return ProjectPage.objects.get(slug="iom-belgium-and-niger", locale=locales["en"])


def upload(client, translation, content, name="translation.po"):
    return client.post(
        reverse("wagtail_localize:upload_pofile", args=(translation.pk,)),
        {
            "file": SimpleUploadedFile(name, content, content_type="text/x-gettext-translation"),
            "next": "/admin/",
        },
        follow=True,
    )


def messages_of(response):
    return [str(m).strip() for m in response.context["messages"]]


@pytest.mark.django_db
def test_po_round_trip(editor_client, client, niger, locales):
    translation = french_translation(niger, locales["fr"])
    download = editor_client.get(
        reverse("wagtail_localize:download_pofile", args=(translation.pk,))
    )
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    title = next(entry for entry in po if entry.msgctxt == "title")
    assert title.msgid == "IOM Belgium and Niger"
    title.msgstr = "L’OIM Belgique et le Niger (traduit hors ligne)"

    response = upload(editor_client, translation, str(po).encode())
    assert "Successfully imported translations from PO File." in messages_of(response)

    french = niger.get_translation(locales["fr"])
    publish = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(french.pk,)), {"action": "publish"}
    )
    assert publish.status_code == 302
    assert "L’OIM Belgique et le Niger (traduit hors ligne)" in text_of(client.get(french.url))
    assert "IOM Belgium and Niger" in text_of(client.get(niger.url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, message",
    [
        (b"this is not a PO file \x00\xff", "Please upload a valid PO file."),
        (b'msgid "x"\nmsgstr "y"\n', "This PO file has no translation header"),
        (b"", "Please upload a valid PO file."),
    ],
)
def test_bad_po_files_are_refused_and_change_nothing(
    editor_client, niger, locales, content, message
):
    translation = french_translation(niger, locales["fr"])
    before = list(StringTranslation.objects.values_list("pk", "data"))
    response = upload(editor_client, translation, content)
    assert response.status_code == 200
    assert any(message in m for m in messages_of(response))
    assert list(StringTranslation.objects.values_list("pk", "data")) == before


@pytest.mark.django_db
def test_a_po_file_of_another_page_is_refused(editor_client, niger, locales):
    translation = french_translation(niger, locales["fr"])
    other = french_translation(
        ProjectPage.objects.get(slug="women-diaspora-4dev-academy", locale=locales["en"]),
        locales["fr"],
    )
    po = other.export_po()
    for entry in po:
        entry.msgstr = "Autre page"
    before = list(StringTranslation.objects.values_list("pk", "data"))
    response = upload(editor_client, translation, str(po).encode())
    assert "Cannot import PO file that was created for a different translation." in (
        messages_of(response)
    )
    assert list(StringTranslation.objects.values_list("pk", "data")) == before


@pytest.mark.django_db
def test_an_upload_without_a_file_is_refused(editor_client, niger, locales):
    translation = french_translation(niger, locales["fr"])
    response = editor_client.post(
        reverse("wagtail_localize:upload_pofile", args=(translation.pk,)), {}, follow=True
    )
    assert response.status_code == 200
    assert any("Please upload a valid PO file." in m for m in messages_of(response))
