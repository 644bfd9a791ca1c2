"""Settings for the site that the browser tests drive, in its own process.

The test settings, plus: a file database and a media folder of the suite's own
(given by the fixture), and emails written to files so a test can read them.
"""

import os

from diaspora_site.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["BROWSER_MEDIA_ROOT"]
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["BROWSER_MAIL_DIR"]},
    }
}
WAGTAILADMIN_BASE_URL = os.environ["BROWSER_BASE_URL"]
# Slow work (sending a test of an issue, …) runs at once: there is no worker here.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "emails": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# A server error is printed to the server's log, which the fixture shows on failure.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
# No autosave in the page editor: it saves a new page as a draft when it notices a
# change, at a moment that depends on timing, and a Publish clicked while that save is
# under way posts the creation form a second time ("slug already in use"). A test
# types faster than any editor; it saves explicitly instead.
WAGTAIL_AUTOSAVE_INTERVAL = 0
