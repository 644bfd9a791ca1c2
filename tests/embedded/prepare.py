"""Build the site that tests/embedded/test_concurrent_writes.py serves, as `make run`
does (migrate, load_demo), with one event of 10 places and a waiting list. Prints,
as its last line, the JSON of the addresses the test posts to."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLACES = 10


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.embedded.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from home.models import FormPage
    from tests.events.factories import make_event, register_url

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    event = make_event(capacity=PLACES, waitlist=True, slug="rush-hour")
    forms = {}
    for slug in ("survey", "contact"):
        english = FormPage.objects.get(slug=slug, locale__language_code="en")
        versions = FormPage.objects.filter(translation_key=english.translation_key)
        forms[slug] = {
            page.locale.language_code: page.form_action_url
            for page in versions.select_related("locale")
        }
    from tests.discussion.helpers import post_url, story

    discussion = {code: post_url(story(code), code) for code in ("en", "fr", "nl")}
    urls = {
        "register": {code: register_url(page) for code, page in event.items()},
        "discussion": discussion,
        **forms,
    }
    print(json.dumps(urls), flush=True)


if __name__ == "__main__":
    main()
