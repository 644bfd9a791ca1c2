"""The site without some of its features: each of stories, events and newsletter,
and all three, can be left out of INSTALLED_APPS. Then `check` and
`makemigrations --check` pass, every remaining page type renders in the three
languages, and the home page's editor opens.

Each variant runs in processes of its own (an app cannot leave a running Django).
The database is SQLite in memory in both of CI's passes: what is checked here does
not depend on the database, so the PostgreSQL pass skips it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import ON_POSTGRES

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ["stories", "events", "newsletter", "stories,events,newsletter"]

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(ON_POSTGRES, reason="the same on every database; run by the SQLite pass"),
]


def run(without, *args):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "tests.variants.settings",
        "WITHOUT_APPS": without,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(  # noqa: S603 (our interpreter, our scripts)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{args} without {without}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.parametrize("without", VARIANTS)
def test_the_site_works_without(without, tmp_path):
    run(without, "manage.py", "check", "--fail-level", "WARNING")
    assert "No changes detected" in run(without, "manage.py", "makemigrations", "--check")

    seen = json.loads(run(without, "tests/variants/site_check.py").splitlines()[-1])

    assert seen["failed"] == []
    left_out = without.split(",")
    assert not any(label.split(".")[0] in left_out for label in seen["page_types"])
    for language in ("en", "fr", "nl"):
        assert seen["rendered"][language] == seen["page_types"], language
    assert seen["editor"] == 200 and seen["editor_title"]
