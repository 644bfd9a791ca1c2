"""Django's SMTP email backend, with the site's DKIM signature and envelope sender.

Every message sent through it (visitors' emails, staff notifications, the admin's
error reports, newsletter issues that do not take the prepared path) is signed when
a DKIM key is configured (`dkim_signing`), and goes out with the bounce address as
its envelope sender when MAIL_BOUNCE_ADDRESS is set: a message's own
`envelope_sender` attribute (a VERP address, `verp.envelope_sender`) first.
Without either setting it sends exactly as Django's backend.

The newsletter's sender talks to this backend's connection directly
(`newsletter.smtp_prepared`) and applies the same two things itself.
"""

import email.policy
import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

from mailroom import dkim_signing, verp


class EmailBackend(DjangoSMTPBackend):
    def envelope_sender(self, email_message):
        """The MAIL FROM address for `email_message`."""
        own = getattr(email_message, "envelope_sender", "") or verp.bounce_address()
        return self.prep_address(own or email_message.from_email)

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        sender = self.envelope_sender(email_message)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        raw = email_message.message(policy=email.policy.SMTP).as_bytes()
        signer = dkim_signing.signer()
        if signer is not None:
            raw = signer.sign(raw)
        try:
            self.connection.sendmail(sender, recipients, raw)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
