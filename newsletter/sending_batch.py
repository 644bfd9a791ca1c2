"""Sending one claimed batch of an issue's Delivery rows over one connection to the
mail server (`sending.run_mailing` claims the batches).

For each row, in this order: the message is prepared (and, over SMTP, its
envelope sent ahead, `smtp_prepared`); one commit marks the previous row `sent`
and this one `sending` (`marks`); only then can the server accept the message. A
worker killed at any point thus leaves at most one row `sending` whose message the
server may have accepted: the one possible duplicate of a worker crash.
"""

import re
import smtplib
import time
from collections import Counter
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone

from mailroom import dkim_signing, verp
from mailroom.backends import EmailBackend as SigningSMTPBackend
from newsletter.marks import Marks
from newsletter.models import Delivery, Subscriber
from newsletter.smtp_prepared import PreparedSMTP
from privacy.suppression import Suppressed

# A message that fails this many times (connection lost, server busy) is given up.
MAX_ATTEMPTS = 3
# The kind of VERP address (mailroom.verp) that names a Delivery row: the envelope
# sender of each issue, so that a report that comes back says which delivery it is.
VERP_KIND = "d"


class Claimed(NamedTuple):
    """A claimed Delivery row, as the worker needs it."""

    pk: int
    claimed_by: str
    attempts: int
    subscriber: "Recipient | None"  # None once the person was erased


class Recipient(NamedTuple):
    """What sending needs of a Subscriber (building 400 model instances per batch
    was a tenth of the worker's time per message)."""

    pk: int
    email: str
    language: str
    status: str


def _option(name):
    return settings.NEWSLETTER[name]


def send_batch(batch, renderings):
    """Send one claimed batch over one connection to the mail server."""
    outcome = Counter()
    previous = None  # accepted by the server, to be marked `sent` with the next step
    try:
        mailer = mailers[_option("MAILER")]
        mailer.open()
        # With Django's SMTP backend, messages are prepared bytes over its smtplib
        # connection (`smtp_prepared`): through the backend, each message would be
        # parsed, both addresses checked again (0.4 ms), and its dots quoted.
        # Through the site's backend (mailroom), each message is DKIM-signed when a
        # key is configured, and its envelope sender names its delivery (VERP).
        wire = signer = None
        signing = type(mailer) is SigningSMTPBackend
        if type(mailer) is SMTPBackend or signing:
            sender = mailer.prep_address(verp.bounce_address() or settings.DEFAULT_FROM_EMAIL)
            wire = PreparedSMTP(mailer.connection, sender)
            signer = dkim_signing.signer() if signing else None
    except (smtplib.SMTPException, OSError):
        _release(batch)
        raise  # the task fails; `resume_mailings` queues the mailing again
    lease = _option("LEASE_SECONDS")
    renewed = time.monotonic()
    suppressed = Suppressed()  # one query per batch; nothing per message while empty
    try:
        with Marks(batch[0].claimed_by) as marks:
            for index, delivery in enumerate(batch):
                if time.monotonic() - renewed > lease / 3:
                    # A slow mail server (or an email API) must not let the lease run
                    # out under a live worker: another would take the rows and send
                    # them too.
                    _renew(delivery.claimed_by, lease)
                    renewed = time.monotonic()
                subscriber = delivery.subscriber
                wanted = _wanted(subscriber, suppressed)
                issue_email = renderings[subscriber.language] if wanted else None
                prepared = issue_email.smtp_data(subscriber, signer) if wanted and wire else None
                envelope = verp.envelope_sender(VERP_KIND, delivery.pk) or None
                if prepared:
                    # The envelope goes ahead; the server answers while the mark
                    # commits. Only `deliver`, after the mark, delivers the message.
                    wire.announce(subscriber.email, prepared[1], envelope)
                still_ours = marks.step(previous.pk if previous else None, delivery.pk)
                previous = None
                if not still_ours and wire and wire.announced:
                    # Taken over by another worker (so, surely, the rest of the batch
                    # too): the connection, inside DATA, cannot be used again.
                    _release(batch[index + 1 :])
                    break
                if not still_ours:
                    continue
                if not wanted:
                    _finish(delivery, Delivery.Status.SKIPPED)
                    outcome["skipped"] += 1
                    continue
                try:
                    if prepared:
                        wire.deliver(subscriber.email, *prepared, envelope)
                    else:  # another backend, or an internationalised address
                        message = issue_email.message_for(subscriber)
                        if isinstance(mailer, SMTPBackend):  # anymail has a meaning for it
                            message.envelope_sender = envelope  # read by mailroom's backend
                        mailer.send_messages([message])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError) as error:
                    # The server refused this address or message: retrying will not help.
                    _finish(delivery, Delivery.Status.FAILED, error=_describe(error))
                    outcome["failed"] += 1
                except (smtplib.SMTPException, OSError) as error:
                    # The connection failed: the message may or may not have arrived.
                    _retry_later(delivery, error)
                    _release(batch[index + 1 :])
                    outcome["retry"] += 1
                    break  # this connection is unusable; the next claim opens another
                else:
                    previous = delivery
                    outcome["sent"] += 1
        if previous is not None:
            _finish(previous, Delivery.Status.SENT)
    finally:
        if wire:
            wire.abort()  # an envelope sent ahead and not delivered (an error)
        mailer.close()
    return outcome


def _wanted(subscriber, suppressed):
    """Whether the issue still goes to this subscriber (who may have left, or been
    erased, since the rows were made)."""
    return (
        subscriber is not None
        and subscriber.status == Subscriber.Status.CONFIRMED
        and subscriber.email not in suppressed
    )


def _renew(token, lease):
    """Extend the lease on the rows of a batch this worker still holds."""
    Delivery.objects.filter(claimed_by=token).update(
        lease_until=timezone.now() + timedelta(seconds=lease)
    )


def _release(deliveries):
    """Give back rows this worker claimed but did not start."""
    Delivery.objects.filter(
        pk__in=[delivery.pk for delivery in deliveries],
        claimed_by__in={delivery.claimed_by for delivery in deliveries},
        status=Delivery.Status.PENDING,
    ).update(claimed_by="", lease_until=None)


def _finish(delivery, status, *, error=""):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
        error=error,
        claimed_by="",
        lease_until=None,
    )


def _retry_later(delivery, error):
    if delivery.attempts + 1 >= MAX_ATTEMPTS:
        _finish(delivery, Delivery.Status.FAILED, error=_describe(error))
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, claimed_by="", lease_until=None, error=_describe(error)
    )


_ADDRESS = re.compile(r"\S+@\S+")


def _describe(error):
    """The error for the admin. Servers often quote the address in their reply: it
    is masked, so that nothing personal outlives an erasure."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = error.recipients.values()
        text = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in replies)
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    else:
        text = type(error).__name__
    return _ADDRESS.sub("<address>", text)[:255]
