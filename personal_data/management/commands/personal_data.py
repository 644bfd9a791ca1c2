"""`manage.py personal_data export <email> [--output FILE]` and
`manage.py personal_data erase <email> [--yes]`: the admin's Settings → Personal
data, from the command line (see personal_data.records)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email

from personal_data import records as personal_data


class Command(BaseCommand):
    help = (
        "Export (GDPR article 15) or erase (article 17) everything stored about one email "
        "address: newsletter subscription and deliveries, event registrations, call "
        "applications, form answers, event proposals, admin history. Erasing suppresses "
        "the address (only its hash is kept) and asks first unless --yes is given."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the data as JSON.")
        export.add_argument("email")
        export.add_argument("--output", "-o", help="Write to this file instead of standard output.")
        erase = actions.add_parser("erase", help="Erase the data and suppress the address.")
        erase.add_argument("email")
        erase.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            action="store_true",
            dest="yes",
            help="Do not ask for confirmation.",
        )

    @no_translations  # a terminal for staff: the source language, whatever ran before
    def handle(self, *args, action, email, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError("Not a valid email address.") from None
        email = personal_data.normalise(email)
        if action == "export":
            self.export(email, options.get("output"))
        else:
            self.erase(email, options.get("yes"))

    def export(self, email, output):
        body = json.dumps(
            personal_data.export(email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(body + "\n")
            self.stderr.write(f"Written to {output}.")
        else:
            self.stdout.write(body)

    def erase(self, email, yes):
        found = personal_data.counts(personal_data.export(email))
        for key, label in personal_data.KINDS:
            self.stdout.write(f"{label}: {found[key]}")
        if not yes:
            answer = input(
                "Erase all of this, and suppress the address? This cannot be undone. "
                "Type 'yes' to erase: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was erased.")
        erased = personal_data.erase(email)
        done = [f"{label} {erased[key]}" for key, label in personal_data.KINDS if erased[key]]
        if erased["promoted"]:
            done.append(f"{erased['promoted']} person(s) waiting given the freed place")
        self.stdout.write(f"Erased: {', '.join(done) or 'nothing was stored'}.")
        self.stdout.write(
            "Newsletter deliveries are kept without the address; the address is suppressed."
        )
