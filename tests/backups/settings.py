"""The test suite's settings with the media in a folder the backup test chooses
(BACKUP_MEDIA_ROOT), for the sites tests/backups/test_restore.py runs in subprocesses.
DATABASE_URL and BACKUP_DIR come from their environment."""

import os

from diaspora_site.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["BACKUP_MEDIA_ROOT"]
