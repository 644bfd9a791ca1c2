"""Remove a user's second factor (a lost phone): their next sign-in enrols again."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.log_actions import log

from twofactor import policy
from twofactor.admin_account import RESET_ACTION


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes; at their next sign-in "
        "they set up a new app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = policy.reset(user)
        log(instance=user, action=RESET_ACTION)
        if removed:
            self.stdout.write(
                f"Two-factor authentication of {username} reset ({removed} devices removed): "
                "at the next sign-in they set up a new authenticator app."
            )
        else:
            self.stdout.write(f"{username} had no two-factor authentication.")
