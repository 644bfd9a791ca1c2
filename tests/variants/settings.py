"""The test settings without some feature apps: WITHOUT_APPS names them, separated
by commas ("stories", "events,newsletter"). Used by tests/variants/test_variants.py."""

import os

from diaspora_site.settings.test import *  # noqa: F403

WITHOUT_APPS = {label for label in os.environ.get("WITHOUT_APPS", "").split(",") if label}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in WITHOUT_APPS]  # noqa: F405
