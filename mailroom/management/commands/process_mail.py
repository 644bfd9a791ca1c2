"""`manage.py process_mail`: handle what arrived in the site's mailbox (delivery
reports, complaints, unsubscribe requests) and leave the rest for a person.

Run it every few minutes (docs/production.md, "Mail that arrives, and what comes
back"). Each message is handled in its own transaction by the apps' handlers (the
`register_incoming_mail_handler` hook), then filed away; a message that cannot be
read, or that no handler takes, goes to the folder for a person. The log says what
happened to each message by its kind, never an address.
"""

import imaplib
import logging
from collections import Counter

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks

from mailroom import incoming, mailboxes

logger = logging.getLogger(__name__)

FOR_A_PERSON = "left for a person"


def handle_message(raw):
    """Handle one message in its own transaction; returns what was done, or
    FOR_A_PERSON."""
    with transaction.atomic():
        message = incoming.read(raw)
        for handler in hooks.get_hooks(incoming.HANDLER_HOOK):
            outcome = handler(message)
            if outcome:
                return outcome
    if message.kind == incoming.BOUNCE and message.verp is None:
        # A report about a message that named no row (a visitor's email): there is
        # nobody's status to change.
        return "report without a delivery: nothing to change"
    return FOR_A_PERSON


class Command(BaseCommand):
    help = "Handle delivery reports, complaints and unsubscribe requests in the mailbox."

    def handle(self, *args, **options):
        outcomes = Counter()
        try:
            box = mailboxes.open_configured()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        except (imaplib.IMAP4.error, OSError) as error:
            # The mailbox is away: nothing was read, the next run tries again.
            raise CommandError(f"The mailbox cannot be read: {type(error).__name__}") from None
        try:
            for key, raw in box.messages():
                try:
                    outcome = handle_message(raw)
                except Exception as error:  # noqa: BLE001 (a malformed message never stops the run)
                    name = type(error).__name__
                    logger.warning("An incoming message could not be handled: %s", name)
                    outcome = FOR_A_PERSON
                box.file(key, outcome != FOR_A_PERSON)
                logger.info("Incoming message: %s", outcome)
                outcomes[outcome] += 1
        except (imaplib.IMAP4.error, OSError) as error:
            # Lost half-way: what was handled but not filed is handled again next
            # time, which changes nothing.
            raise CommandError(f"The mailbox stopped answering: {type(error).__name__}") from None
        finally:
            box.close()
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(summary or "No message.")
