from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from privacy.admin_views import PersonalDataMenuItem, PersonalDataView


@hooks.register("register_admin_urls")
def register_personal_data_url():
    return [path("personal-data/", PersonalDataView.as_view(), name="privacy_personal_data")]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return PersonalDataMenuItem(
        _("Personal data"),
        reverse("privacy_personal_data"),
        name="personal-data",
        icon_name="user",
        order=650,
    )


@hooks.register("register_permissions")
def register_personal_data_permission():
    # Offered in Settings → Groups; given to no group by default.
    return Permission.objects.filter(
        content_type__app_label="privacy", codename="manage_personal_data"
    )
