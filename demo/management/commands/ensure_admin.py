"""Create a local administrator on first run and say how to log in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the 'admin' superuser with a random password if no superuser exists."

    def handle(self, *args, **options):
        credentials = Path(settings.BASE_DIR) / "var" / "admin-password.txt"
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(USERNAME, "admin@example.org", password)
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password + "\n")
            credentials.chmod(0o600)
        if credentials.exists():
            password = credentials.read_text().strip()
            self.stdout.write(
                f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/  "
                f"user: {USERNAME}  password: {password}\n"
                "  The first sign-in asks you to set up an authenticator app (two-factor "
                "authentication) and shows recovery codes once: keep them."
            )
        else:
            admin = f"{settings.WAGTAILADMIN_BASE_URL}/admin/"
            self.stdout.write(f"Admin: {admin} (log in with your superuser)")
