"""Upstream msgids this project's `django` catalogue translates anew.

Never imported (not a package): it is here so that `make messages` (makemessages) keeps these
entries in locale/*/LC_MESSAGES/django.po, where they override Wagtail's and
wagtail-localize's own translations (Django reads LOCALE_PATHS first). Why each
one: docs/translation.md, "Upstream strings fixed here".
"""

from django.utils.translation import gettext_noop

UPSTREAM_MSGIDS = [
    # Wagtail (wagtail/admin): its Dutch says "Live", English in the Dutch admin.
    gettext_noop("Live"),
    gettext_noop("Live version"),
    gettext_noop("Go-live:"),
]
