"""The demo site for the browser tests: build it, then serve it on 127.0.0.1.

Run by the `site` fixture (conftest.py) as `python tests/browser/server.py PORT` with
DATABASE_URL pointing at an empty SQLite file. It migrates, loads the demo content,
creates the editor `editor` (password `editor-password`) and one translator per
language whose admin is in that language (`admin_walk.prepare_translators`), and
serves the site with its static and media files, threaded, until it is terminated.
Building and serving in one process keeps the test settings' per-process media
folder the same for both.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EDITOR = ("editor", "editor-password")
MODERATOR = ("moderator-nl", "moderator-password")
# A member of Editors (protected: they can send issues) who has not enrolled yet.
SENDER = ("sender", "sender-password")
# The authenticator keys (hex, as django-otp stores them) of the editor's and the
# moderator's phones: both are protected and sign in with a code (two_factor.py).
EDITOR_KEY = "3132333435363738393031323334353637383930"
MODERATOR_KEY = "6d6f64657261746f722d6b65792d666f722d7465"
VENDOR_URL = "/__browser-tests__/"


def main(port):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.browser.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    editor = get_user_model().objects.create_superuser(EDITOR[0], "editor@example.org", EDITOR[1])
    give_phone(editor, EDITOR_KEY)
    from django.contrib.auth.models import Group

    sender = get_user_model().objects.create_user(SENDER[0], "sender@example.org", SENDER[1])
    sender.groups.add(Group.objects.get(name="Editors"))
    from tests.browser.admin_walk import prepare_translators

    prepare_translators(os.environ["BROWSER_ADMIN_WALK_FILE"])
    prepare_moderator()

    # DEBUG is off (the 404 page must be the site's own), so Django serves neither
    # static nor media files: StaticFilesHandler and WhiteNoise do (autorefresh: image
    # renditions are made while pages are served).
    app = WhiteNoise(StaticFilesHandler(get_wsgi_application()), autorefresh=True)
    app.add_files(settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)
    # axe-core, for the tests to add to a page as a script of the page's own origin.
    app.add_files(str(ROOT / "tests" / "browser" / "vendor"), prefix=VENDOR_URL)
    print("serving", flush=True)
    run("127.0.0.1", port, app, threading=True)


def prepare_moderator():
    """A member of Wagtail's Moderators group whose admin is in Dutch."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.create_user(
        MODERATOR[0], "moderator@example.org", MODERATOR[1], is_staff=False
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "nl"
    profile.save()
    give_phone(user, MODERATOR_KEY)


def give_phone(user, key):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
