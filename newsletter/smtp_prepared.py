"""Prepared messages over an open smtplib connection, the envelope of each sent
ahead while the worker marks its row.

Two things `smtplib.SMTP.sendmail` does per message are done otherwise here:

- it quotes the dots at the start of lines of every message (a regular expression
  over the whole message: 0.3–0.4 ms for a 30 KB issue, as long as the rest of what
  sending a message costs). An issue's message is the same bytes for every reader of
  a language but for a few personal parts, none of which starts a line, so the
  quoting is done once per language (`dot_stuff`, `IssueEmail.smtp_data`);
- it waits for the answer to each command (MAIL FROM, RCPT TO, DATA, then the
  content): four round trips. When the server takes commands in groups (RFC 2920
  PIPELINING, which Postfix and the usual relays offer), `announce` sends the first
  three in one write *before* the worker commits its mark for the message, and
  `deliver` reads their answers *after* it: the server answers while the database
  commits. Only the content, sent by `deliver` once the mark is committed, delivers
  the message: a worker that dies before that leaves the server an unfinished
  message, which it drops. So the order that bounds a worker crash to one duplicate
  (mark committed before the message can be accepted) holds.

The commands, the answers expected and the errors raised are those of `sendmail`.
"""

import re
import smtplib

_LINE_START_DOT = re.compile(rb"(?m)^\.")
CRLF = b"\r\n"
# An address as the site stores them (dot-atoms on both sides of the @).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z")


def dot_stuff(raw):
    """`raw` as it goes after DATA: dots at line starts doubled, and ended by a line
    holding one dot (what `smtplib.SMTP.data` does)."""
    stuffed = _LINE_START_DOT.sub(b"..", raw)
    if not stuffed.endswith(CRLF):
        stuffed += CRLF
    return stuffed + b"." + CRLF


def quote_address(address):
    """`smtplib.quoteaddr(address)`, without parsing a plain address (the parser
    took a tenth of the worker's time per message)."""
    if _PLAIN_ADDRESS.match(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


class PreparedSMTP:
    """One open `smtplib.SMTP` connection sending prepared messages from `sender`
    (or, message by message, from the envelope sender given to `announce` and
    `deliver`: a VERP address, mailroom.verp)."""

    def __init__(self, smtp, sender):
        smtp.ehlo_or_helo_if_needed()
        self.smtp = smtp
        self.sender = sender
        self.quoted_sender = quote_address(sender)
        self.pipelining = smtp.does_esmtp and smtp.has_extn("pipelining")
        self.sized = smtp.does_esmtp and smtp.has_extn("size")
        self.announced = None  # the recipient whose commands went ahead

    def announce(self, recipient, size, sender=None):
        """Send MAIL FROM, RCPT TO and DATA for the next message without waiting for
        the answers, if the server takes them in a group. Nothing is delivered until
        `deliver`; after this, only `deliver` or `abort` may follow."""
        if not self.pipelining or self.announced:
            return
        try:
            commands = self._commands(recipient, size, sender)
            self.smtp.send(b"".join(commands))
        except (ValueError, smtplib.SMTPException, OSError):
            return  # `deliver` sends them one by one and raises the error then
        self.announced = recipient

    def deliver(self, recipient, data, size, sender=None):
        """Deliver `data` (from `dot_stuff`; `size` bytes before the quoting) to
        `recipient`. Raises what `sendmail` raises: SMTPSenderRefused,
        SMTPRecipientsRefused, SMTPDataError, SMTPServerDisconnected, OSError."""
        if self.announced is not None:
            if self.announced != recipient:
                raise RuntimeError("deliver() must follow the announce() of its recipient")
            self.announced = None
            replies = [self.smtp.getreply() for _command in range(3)]
        else:
            replies = []
            for command in self._commands(recipient, size, sender):
                self.smtp.send(command)
                replies.append(self.smtp.getreply())
                if replies[-1][0] not in (250, 251, 354):
                    break
        self._check_envelope(recipient, replies, sender)
        self.smtp.send(data)
        code, reply = self.smtp.getreply()
        if code != 250:
            self._give_up(code)
            raise smtplib.SMTPDataError(code, reply)

    def abort(self):
        """Leave a connection whose next message was announced: inside DATA, anything
        sent (QUIT included) would become the message, so the connection is closed."""
        if self.announced is not None:
            self.announced = None
            self.smtp.close()

    def _commands(self, recipient, size, sender=None):
        options = f" SIZE={size}" if self.sized else ""
        quoted_sender = quote_address(sender) if sender else self.quoted_sender
        lines = [
            f"MAIL FROM:{quoted_sender}{options}",
            f"RCPT TO:{quote_address(recipient)}",
            "DATA",
        ]
        if any("\r" in line or "\n" in line for line in lines):
            raise ValueError("A line break in an address")  # as smtplib's putcmd
        return [f"{line}\r\n".encode("ascii") for line in lines]

    def _check_envelope(self, recipient, replies, sender=None):
        """Raise what `sendmail` would for the answers to MAIL FROM, RCPT TO, DATA
        (fewer than three when sent one by one and one was refused)."""
        codes = [code for code, _reply in replies] + [None] * (3 - len(replies))
        mail, rcpt, data = codes
        if mail == 250 and rcpt in (250, 251) and data == 354:
            return
        if data == 354:
            # DATA accepted although MAIL or RCPT was not: a lone dot ends the
            # message, delivering nothing (RFC 2920, 3.1).
            self.smtp.send(b"." + CRLF)
            self.smtp.getreply()
        self._give_up(421 if 421 in codes else None)
        if mail != 250:
            raise smtplib.SMTPSenderRefused(*replies[0], sender or self.sender)
        if rcpt not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({recipient: replies[1]})
        raise smtplib.SMTPDataError(*replies[2])

    def _give_up(self, code):
        if code == 421:  # the server is closing the connection
            self.smtp.close()
        else:
            self.smtp._rset()  # noqa: SLF001 (what sendmail does: RSET, ignoring a failure)
