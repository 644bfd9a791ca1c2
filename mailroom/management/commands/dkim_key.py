"""`manage.py dkim_key`: the DNS TXT record of the site's DKIM key, and a new key.

    manage.py dkim_key --generate /etc/diaspora/dkim.pem   # a new 2048-bit RSA key
    manage.py dkim_key                                      # the record for DKIM_PRIVATE_KEY

Uses the `openssl` program (as dkimpy's own `dknewkey` does).
"""

import base64
import os
import shutil
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mailroom import dkim_signing


def openssl(*arguments):
    program = shutil.which("openssl")
    if program is None:
        raise CommandError("The openssl program is needed.")
    try:
        return subprocess.run(  # noqa: S603 (fixed program, arguments from the operator)
            [program, *arguments], check=True, capture_output=True
        ).stdout
    except subprocess.CalledProcessError as error:
        raise CommandError(error.stderr.decode(errors="replace").strip()) from error


def txt_value(private_key_path):
    """The TXT record's value for the key in `private_key_path`."""
    der = openssl("pkey", "-in", str(private_key_path), "-pubout", "-outform", "DER")
    return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"


class Command(BaseCommand):
    help = "Print the DNS TXT record of the DKIM key, or generate a new key (--generate PATH)."

    def add_arguments(self, parser):
        parser.add_argument("--generate", metavar="PATH", help="Write a new RSA key there.")
        parser.add_argument("--selector", help="The selector (default: DKIM_SELECTOR).")

    def handle(self, *args, generate=None, selector=None, **options):
        path = generate or settings.DKIM_PRIVATE_KEY
        if not path:
            raise CommandError("Set DKIM_PRIVATE_KEY, or give --generate PATH.")
        if generate:
            if os.path.exists(generate):
                raise CommandError(f"{generate} exists already: not overwritten.")
            openssl("genrsa", "-out", generate, "2048")
            os.chmod(generate, 0o600)
            self.stderr.write(f"Wrote {generate}. Set DKIM_PRIVATE_KEY to it.")
        selector = selector or settings.DKIM_SELECTOR or "<selector>"
        domain = settings.DKIM_DOMAIN or dkim_signing.from_domain()
        value = txt_value(path)
        # A TXT string holds at most 255 characters: a longer value is split.
        strings = " ".join(f'"{value[i : i + 255]}"' for i in range(0, len(value), 255))
        self.stdout.write(f"{selector}._domainkey.{domain}. IN TXT ( {strings} )")
