"""WORKAROUND: wagtail-localize's translation editor in the admin user's language.

wagtail-localize 1.14.5's `StringTranslation.get_comment()` (wagtail_localize/
models.py) writes the date with `strftime` ("3 December 2026" in the French admin)
and the tool's name as stored ("PO File"). `patch_string_translation_comment()`
replaces it with the same sentences (wagtail-localize's msgids, so its catalogues
still apply), the date formatted in the active language and the known tool names
translated. `UPSTREAM_GET_COMMENT_SHA256` is the hash of the source it was written
against: tests/translation_workflow fails when upstream changes it. Remove when
upstream formats the date with Django (see docs/translation.md).
"""

import hashlib
import inspect

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail_localize.models import StringTranslation

UPSTREAM_GET_COMMENT_SHA256 = "fcf6e7bcf9a30b6b124adb96e98f3c7d52814dd3ff63b3c4859400ea9620abf2"

#: Tool names wagtail-localize and this project store → what a translator reads.
TOOL_NAMES = {
    "PO File": _("a PO file"),  # wagtail_localize/views/edit_translation.py upload_pofile
    "load_demo": _("the demo content"),  # demo/translations.py
}


def upstream_get_comment_sha256():
    source = inspect.getsource(_UPSTREAM_GET_COMMENT)
    return hashlib.sha256(source.encode()).hexdigest()


def get_comment(self):
    """How and when the string was translated, in the admin user's language."""
    date = date_format(timezone.localtime(self.updated_at), "DATE_FORMAT")
    if self.tool_name:
        tool_name = TOOL_NAMES.get(self.tool_name, self.tool_name)
        return gettext("Translated with {tool_name} on {date}").format(
            tool_name=tool_name, date=date
        )
    if self.translation_type == self.TRANSLATION_TYPE_MANUAL:
        return gettext("Translated manually on {date}").format(date=date)
    if self.translation_type == self.TRANSLATION_TYPE_MACHINE:
        return gettext("Machine translated on {date}").format(date=date)
    return None


_UPSTREAM_GET_COMMENT = StringTranslation.get_comment


def patch_string_translation_comment():
    StringTranslation.get_comment = get_comment
