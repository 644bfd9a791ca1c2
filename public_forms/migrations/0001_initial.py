"""PublicFormSubmission, which lived in home/ until home/0006: the model takes its
place in this app's state over the same table, and its content type moves here too,
so its permissions (and every group or user holding them) are the same rows."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "publicformsubmission"


def move_content_type(apps, schema_editor, source="home", target="public_forms"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    content_types = ContentType.objects.using(db)
    old = content_types.filter(app_label=source, model=MODEL).first()
    if old is None:  # a new database: post_migrate creates it in this app
        return
    new = content_types.filter(app_label=target, model=MODEL).first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    # Both exist (made by an interrupted earlier run): keep the new one, with every
    # grant of the old one's permissions.
    for permission in Permission.objects.using(db).filter(content_type=old):
        twin = Permission.objects.using(db).filter(
            content_type=new, codename=permission.codename
        ).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        twin.group_set.add(*permission.group_set.all())
        twin.user_set.add(*permission.user_set.all())
        permission.delete()
    old.delete()


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="public_forms", target="home")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0006_publicformsubmission_moves_to_public_forms"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublicFormSubmission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "form_data",
                            models.JSONField(
                                encoder=django.core.serializers.json.DjangoJSONEncoder
                            ),
                        ),
                        (
                            "submit_time",
                            models.DateTimeField(auto_now_add=True, verbose_name="submit time"),
                        ),
                        (
                            "consent_text",
                            models.TextField(
                                help_text="What the visitor agreed to, as they read it.",
                                verbose_name="consent text",
                            ),
                        ),
                        (
                            "consent_version",
                            models.CharField(max_length=100, verbose_name="consent version"),
                        ),
                        ("consent_given_at", models.DateTimeField(verbose_name="consent given at")),
                        (
                            "page",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "form submission",
                        "verbose_name_plural": "form submissions",
                        "db_table": "home_publicformsubmission",
                        "abstract": False,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
