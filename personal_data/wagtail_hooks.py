from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from personal_data.admin_requests import PersonalDataMenuItem, PersonalDataView


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
