"""The mailbox `process_mail` reads: a Maildir that a local MTA fills, or an IMAP
mailbox over TLS (INCOMING_MAIL settings). Each gives the messages waiting in its
inbox and files each one away once handled: into the processed folder (marked
seen), or into the folder left for a person (unseen). The inbox is then empty, so
a second run finds nothing to do again.

A message is filed after its transaction commits: a run that stops in between
finds it again next time, and handling it again changes nothing (handlers are
idempotent).
"""

import imaplib
import mailbox
import ssl

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def open_configured():
    """The configured mailbox (Maildir first), or raise ImproperlyConfigured."""
    options = settings.INCOMING_MAIL
    if options.get("MAILDIR"):
        return MaildirBox(options["MAILDIR"], options)
    if options.get("IMAP_HOST"):
        return ImapBox(options)
    raise ImproperlyConfigured("Set INCOMING_MAIL's MAILDIR or IMAP_HOST.")


class MaildirBox:
    def __init__(self, path, options):
        self.inbox = mailbox.Maildir(path, create=False)
        self.folders = {
            True: options["PROCESSED_FOLDER"],
            False: options["PERSON_FOLDER"],
        }

    def messages(self):
        """(key, bytes) of each message in the inbox (new and cur)."""
        for key in sorted(self.inbox.keys()):
            try:
                yield key, self.inbox.get_bytes(key)
            except (KeyError, OSError):
                continue  # taken away meanwhile (another run, a person)

    def file(self, key, handled):
        """Move a message into the processed folder (seen), or the one for a person
        (unseen, so that a mail client shows it as new)."""
        name = self.folders[handled]
        folder = self.inbox.get_folder(name) if name in self.inbox.list_folders() else None
        folder = folder or self.inbox.add_folder(name)
        message = self.inbox.get_message(key)
        message.set_subdir("cur")
        if handled:
            message.add_flag("S")
        folder.add(message)
        self.inbox.discard(key)

    def close(self):
        pass


class ImapBox:
    def __init__(self, options, *, imap_class=None):
        imap_class = imap_class or imaplib.IMAP4_SSL
        self.imap = imap_class(
            options["IMAP_HOST"],
            int(options.get("IMAP_PORT") or 993),
            ssl_context=ssl.create_default_context(),
        )
        self.imap.login(options["IMAP_USER"], options["IMAP_PASSWORD"])
        self.folders = {True: options["PROCESSED_FOLDER"], False: options["PERSON_FOLDER"]}
        self.created = set()
        self.expunge = False
        self._check(self.imap.select(options.get("IMAP_FOLDER") or "INBOX"))

    @staticmethod
    def _check(answer):
        status, data = answer
        if status != "OK":
            raise imaplib.IMAP4.error(f"IMAP answered {status}")
        return data

    def messages(self):
        uids = self._check(self.imap.uid("SEARCH", None, "UNDELETED"))[0].split()
        for uid in uids:
            # BODY.PEEK leaves the message unseen until it is handled.
            data = self._check(self.imap.uid("FETCH", uid, "(BODY.PEEK[])"))
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is not None:
                yield uid, raw

    def file(self, uid, handled):
        name = self.folders[handled]
        if name not in self.created:
            self.imap.create(name)  # an error when it exists already: ignored
            self.created.add(name)
        if handled:
            self._check(self.imap.uid("STORE", uid, "+FLAGS", "(\\Seen)"))
        if "MOVE" in self.imap.capabilities:
            self._check(self.imap.uid("MOVE", uid, name))
            return
        self._check(self.imap.uid("COPY", uid, name))
        self._check(self.imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)"))
        self.expunge = True

    def close(self):
        try:
            if self.expunge:
                self.imap.expunge()
            self.imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
