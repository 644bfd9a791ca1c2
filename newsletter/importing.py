"""Importing the old mailing list: a CSV file of `email,language` rows becomes
`invited` subscribers (no consent yet: they get one invitation, see invitations.py).

Every row is checked before anything is stored. A file that cannot be read as a
whole (not text, not CSV, no `email` and `language` columns, too large, too many
rows) is refused and nothing is stored. Otherwise the valid rows are imported in
one transaction: new addresses become `invited`, addresses already known in any
status are skipped (an unsubscribed person is never turned into a contact again),
and invalid rows are listed by line with the reason, so the file can be fixed and
uploaded again (the rows already imported are then skipped).

An address on the suppression list (erased on request, or opted out: unsubscribed,
bounced, complained; privacy.suppression) counts as known even once its row is
gone: it is skipped, never imported again.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter.models import Subscriber
from privacy.suppression import Suppressed

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
DELIMITERS = (",", ";", "\t")
# Rows per query when looking up known addresses and inserting new ones.
CHUNK = 500


class UnusableFile(Exception):
    """The file cannot be imported at all; the message says why, for staff."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    skipped_known: int = 0  # suppressed addresses included
    skipped_suppressed: int = 0
    skipped_duplicate: int = 0
    errors: list[RowError] = field(default_factory=list)
    stored: bool = False

    @property
    def invalid(self):
        return len(self.errors)

    @property
    def skipped(self):
        return self.skipped_known + self.skipped_duplicate


def _decode(data):
    if b"\x00" in data:
        raise UnusableFile(_("This is not a CSV file (it holds binary data)."))
    try:
        return data.decode("utf-8-sig")  # drops the byte-order mark Excel writes
    except UnicodeDecodeError:
        pass
    try:
        # Older spreadsheet programs on Windows save CSV in this encoding.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnusableFile(
            _("This file is not readable text. Save it as “CSV UTF-8” and try again.")
        ) from None


def _columns(header_line):
    """The delimiter and the positions of the email and language columns, read
    from the header line."""
    for delimiter in DELIMITERS:
        names = [name.strip().strip('"').strip().lower() for name in header_line.split(delimiter)]
        if "email" in names and "language" in names:
            return delimiter, names.index("email"), names.index("language")
    raise UnusableFile(
        _(
            "The first line must name the columns “email” and “language”, separated "
            "by a comma or a semicolon."
        )
    )


def _email_error(email):
    if not email:
        return _("The email address is missing.")
    if any(char in email for char in "\r\n\x00"):
        # A line break in an address would add headers to the invitation email.
        return _("The email address contains a line break.")
    if len(email) > 254:
        return _("The email address is too long.")
    try:
        validate_email(email)
    except ValidationError:
        return _("“%(value)s” is not a valid email address.") % {"value": email[:80]}
    return None


def _language_error(language):
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return None
    if not language:
        return _("The language is missing (use %(codes)s).") % {"codes": ", ".join(codes)}
    return _("Unknown language “%(value)s” (use %(codes)s).") % {
        "value": language[:20],
        "codes": ", ".join(codes),
    }


def parse(data):
    """Read the file's bytes into ([(line, email, language)], [RowError]).

    Raises UnusableFile when the file as a whole cannot be used."""
    if len(data) > MAX_BYTES:
        raise UnusableFile(
            _("The file is too large (at most %(size)s MB).") % {"size": MAX_BYTES // 1024 // 1024}
        )
    text = _decode(data)
    stream = io.StringIO(text, newline="")
    lines = text.splitlines()
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise UnusableFile(_("The file is empty."))
    delimiter, email_column, language_column = _columns(lines[first])

    reader = csv.reader(stream, delimiter=delimiter)
    rows, errors, header_seen = [], [], False
    try:
        for record in reader:
            if not any(value.strip() for value in record):
                continue  # blank line
            if not header_seen:
                header_seen = True
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise UnusableFile(
                    _("The file has too many rows (at most %(count)s).") % {"count": MAX_ROWS}
                )
            line = reader.line_num
            email = record[email_column].strip() if email_column < len(record) else ""
            language = record[language_column].strip() if language_column < len(record) else ""
            problem = _email_error(email) or _language_error(language.lower())
            if problem:
                errors.append(RowError(line, problem))
            else:
                rows.append((line, email.lower(), language.lower()))
    except csv.Error as error:
        raise UnusableFile(
            _("This file cannot be read as CSV (line %(line)s).") % {"line": reader.line_num}
        ) from error
    return rows, errors


def import_contacts(data, *, dry_run=False):
    """Check the file and, unless `dry_run`, store its new addresses as invited
    contacts, all in one transaction. Returns an ImportResult; raises UnusableFile."""
    rows, errors = parse(data)
    result = ImportResult(errors=errors)

    first_line = {}
    for line, email, language in rows:
        if email in first_line:
            result.skipped_duplicate += 1
        else:
            first_line[email] = (line, language)

    now = timezone.now()
    try:
        with transaction.atomic():
            emails = list(first_line)
            known = set()
            for start in range(0, len(emails), CHUNK):
                chunk = emails[start : start + CHUNK]
                known.update(
                    Subscriber.objects.filter(email__in=chunk).values_list("email", flat=True)
                )
            suppressed = Suppressed()
            opted_out = {
                email for email in first_line if email not in known and email in suppressed
            }
            result.skipped_suppressed = len(opted_out)
            known |= opted_out
            new = [
                Subscriber(
                    email=email,
                    language=language,
                    status=Subscriber.Status.INVITED,
                    status_changed_at=now,
                )
                for email, (_line, language) in first_line.items()
                if email not in known
            ]
            result.skipped_known = len(known)
            result.created = len(new)
            if not dry_run:
                Subscriber.objects.bulk_create(new, batch_size=CHUNK)
                result.stored = True
    except IntegrityError:
        # Someone subscribed (or another import ran) between the check and the insert.
        raise UnusableFile(
            _(
                "Some addresses were added by someone else meanwhile. Nothing was "
                "imported: please upload the file again."
            )
        ) from None
    return result
