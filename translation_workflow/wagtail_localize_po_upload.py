"""WORKAROUND: check an uploaded PO file before wagtail-localize imports it.

wagtail-localize 1.14.5's `upload_pofile` view (wagtail_localize/views/
edit_translation.py) answers a PO file without its `X-WagtailLocalize-TranslationID`
header, or a form without a file, with a 500 (KeyError), and reads uploads of any
size into memory. `checked_po_upload` wraps that view: it refuses such uploads
with a clear message in the translator's language and sends them back where they
came from; valid files go on to wagtail-localize's own import, which refuses a
file made for another translation. Nothing is imported from a refused file.
Remove when upstream validates its uploads.
"""

import functools
import tempfile

import polib
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

HEADER = "X-WagtailLocalize-TranslationID"
MAX_PO_FILE_SIZE = 5 * 1024 * 1024  # far above any page's strings


def _back(request):
    target = request.POST.get("next") or request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "wagtailadmin_home"
    return redirect(target)


def problem_with(upload):
    """Why `upload` cannot be imported, or None if it can be handed on."""
    if upload is None or upload.size == 0:
        return _("Please upload a valid PO file.")
    if upload.size > MAX_PO_FILE_SIZE:
        return _("This file is too large to be a PO file of one page.")
    content = upload.read()
    upload.seek(0)
    # polib takes a string as a path when such a file exists: parse from a
    # temporary file of our own, never from the uploaded text itself.
    with tempfile.NamedTemporaryFile(suffix=".po") as copy:
        copy.write(content)
        copy.flush()
        try:
            po = polib.pofile(copy.name, encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            return _("Please upload a valid PO file.")
    if not len(po):
        return _("Please upload a valid PO file.")
    if not po.metadata.get(HEADER):
        return _(
            "This PO file has no translation header. Download the PO file of this "
            "translation from the translation editor, translate it and upload that file."
        )
    return None


def checked_po_upload(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            problem = problem_with(request.FILES.get("file"))
            if problem:
                messages.error(request, problem)
                return _back(request)
        return view(request, *args, **kwargs)

    return wrapper
