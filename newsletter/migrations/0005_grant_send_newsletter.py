"""Give Wagtail's Editors and Moderators groups the right to send issues to
subscribers. Translators (their own groups) do not get it."""

from django.db import migrations

GROUPS = ["Editors", "Moderators"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make this one now.
    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        codename="send_newsletter", content_type__app_label="newsletter"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        codename="send_newsletter", content_type__app_label="newsletter"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_mailing_delivery"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
