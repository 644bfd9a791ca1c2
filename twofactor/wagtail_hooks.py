from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from twofactor import admin_account, views


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("two-factor/", views.verify, name="twofactor_verify"),
        path("two-factor/set-up/", views.enrol, name="twofactor_enrol"),
        path("account/two-factor/", admin_account.account, name="twofactor_account"),
        path(
            "account/two-factor/recovery-codes/",
            admin_account.regenerate,
            name="twofactor_regenerate",
        ),
        path(
            "users/<int:user_id>/two-factor/reset/",
            admin_account.reset_user,
            name="twofactor_reset_user",
        ),
    ]


@hooks.register("register_account_menu_item")
def account_menu_item(request):
    return {
        "url": reverse("twofactor_account"),
        "label": _("Two-factor authentication"),
        "help_text": _("Your authenticator app and recovery codes."),
    }


@hooks.register("register_user_listing_buttons")
def reset_button(user, request_user):
    if not request_user.is_superuser:
        return []
    return [
        Button(
            _("Reset two-factor authentication"),
            url=reverse("twofactor_reset_user", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        admin_account.RESET_ACTION,
        _("Reset two-factor authentication"),
        _("Two-factor authentication reset"),
    )
