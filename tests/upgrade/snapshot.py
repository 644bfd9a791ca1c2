"""Write a JSON snapshot of a site's database and pages, for tests/upgrade.

    python tests/upgrade/snapshot.py OUT.json

Run with the settings and code of the release being looked at (the previous one or
this one): it imports nothing of the project, only Django and Wagtail, so the same
file reads both. It records the row count of every table, every group's permissions
(by permission row, so a model that changed app keeps the rows it had), and the
status and HTML of every live page in every language, rendered by the test client.
Row counts are taken before and after the pages are rendered (rendering adds image
renditions).
"""

import json
import sys

import django


def table_counts(connection):
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 (a table name)
            counts[table] = cursor.fetchone()[0]
    return counts


def group_permissions():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    groups = {}
    for group in Group.objects.order_by("name"):
        groups[group.name] = {
            "model": sorted(
                [permission.pk, permission.content_type_id, permission.codename]
                for permission in group.permissions.all()
            ),
            "pages": sorted(
                [grant.page.url_path, grant.permission.codename]
                for grant in GroupPagePermission.objects.filter(group=group).select_related(
                    "page", "permission"
                )
            ),
            "collections": sorted(
                [grant.collection.name, grant.permission.codename]
                for grant in GroupCollectionPermission.objects.filter(group=group).select_related(
                    "collection", "permission"
                )
            ),
        }
    return groups


def pages():
    from django.test import Client
    from wagtail.models import Page

    client = Client()
    rendered = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path"):
        url = page.url
        response = client.get(url)
        rendered[url] = {"status": response.status_code, "html": response.content.decode()}
    return rendered


def main(out):
    django.setup()
    from django.db import connection

    snapshot = {"tables": table_counts(connection), "groups": group_permissions()}
    snapshot["pages"] = pages()
    snapshot["tables_rendered"] = table_counts(connection)
    with open(out, "w", encoding="utf-8") as file:
        json.dump(snapshot, file, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
