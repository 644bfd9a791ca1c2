"""Build the demo site with the variant's apps and use it; print what was seen.

    WITHOUT_APPS=stories DJANGO_SETTINGS_MODULE=tests.variants.settings \
        python tests/variants/site_check.py

In one process (the database is SQLite in memory): migrate, load_demo, then every
live page in every language through the test client, and the home page's editor
as a superuser. Prints one JSON object: the page types that answered 200 per
language, any page that did not, the installed page types, the editor's status.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Page, get_page_models

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)

    client = Client()
    rendered, failed = {}, []
    for page in Page.objects.live().filter(depth__gt=1).select_related("locale"):
        response = client.get(page.url)
        if response.status_code == 200:
            label = page.specific_class._meta.label
            rendered.setdefault(page.locale.language_code, set()).add(label)
        else:
            failed.append([page.url, response.status_code])

    editor = get_user_model().objects.create_superuser("variant-editor", "e@example.org", "pw")
    client.force_login(editor)
    # The second factor too, as the suite's force_login gives it (tests/conftest.py).
    from tests.twofactor.helpers import verify_session

    verify_session(client, editor)
    home = Page.objects.get(depth=2, locale__language_code="en")
    editor_page = client.get(f"/admin/pages/{home.pk}/edit/")
    print(
        json.dumps(
            {
                "rendered": {code: sorted(labels) for code, labels in rendered.items()},
                "failed": failed,
                "page_types": sorted(
                    model._meta.label for model in get_page_models() if model is not Page
                ),
                "editor": editor_page.status_code,
                "editor_title": home.title in editor_page.text,
            }
        )
    )


if __name__ == "__main__":
    main()
