"""Print what each page type weighs in each language: compressed HTML, CSS and
JavaScript (images load lazily and are left out). Runs on the demo database that
`make run` builds (var/db.sqlite3): `make bench-weight`."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from demo_pages import PAGES, address  # noqa: E402 (bench/ is on the path when run)


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_site.settings.dev")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.page_weight import weigh

    setup_test_environment()  # the test client's ALLOWED_HOSTS, nothing else
    client = Client()
    print(f"{'page':<18} {'lang':<4} {'HTML':>7} {'CSS':>7} {'JS':>7} {'total':>8}  (KB, gzip -9)")
    for name, (path, _kind) in PAGES.items():
        for language in ("en", "fr", "nl"):
            w = weigh(client, address(path, language))
            kb = {key: value / 1024 for key, value in w.items()}
            print(
                f"{name:<18} {language:<4} {kb['html']:>7.1f} {kb['css']:>7.1f} "
                f"{kb['js']:>7.1f} {kb['total']:>8.1f}"
            )


if __name__ == "__main__":
    main()
