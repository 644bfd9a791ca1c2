"""The site that tests/backups/test_restore.py backs up, and what it compares.

    python tests/backups/site_state.py build
    python tests/backups/site_state.py snapshot OUT.json

`build` makes the demo site (migrate, load_demo), registers someone for an event,
subscribes someone and uploads an image. `snapshot` renders every live page in every
language (first: rendering adds image renditions, rows and files), then records each
table's row count and a hash of its rows, and each media file's SHA-256."""

import hashlib
import io
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def build():
    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from PIL import Image

    from events import registering
    from home.models import CustomImage
    from newsletter import subscriptions
    from tests.events.factories import make_event

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    pages = make_event(capacity=5, slug="backup-day")
    outcome, _registration = registering.register(
        pages["fr"], name="Amina Diallo", email="amina@example.org", organisation="",
        diaspora_member=True, language="fr",
    )  # fmt: skip
    assert outcome.name == "CONFIRMED", outcome
    subscriptions.subscribe(email="jan@example.org", language="nl", countries=[], source="/nl/")
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "#0b3d91").save(buffer, "PNG")
    image = CustomImage(title="Uploaded", file=ImageFile(buffer, name="uploaded.png"))
    image._set_image_file_metadata()
    image.save()


def table_rows(connection):
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            tables[table] = {"rows": len(rows), "sha256": digest}
    return tables


def media_files():
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def pages():
    from django.test import Client
    from wagtail.models import Page

    client = Client()
    rendered = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path"):
        response = client.get(page.url)
        html = CSRF.sub('name="csrfmiddlewaretoken"', response.content.decode())
        rendered[page.url] = {"status": response.status_code, "html": html}
    return rendered


def main(command, *args):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.backups.settings")
    import django

    django.setup()
    if command == "build":
        build()
        return
    from django.db import connection

    state = {"pages": pages()}
    state["tables"] = table_rows(connection)
    state["media"] = media_files()
    Path(args[0]).write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
