"""Sending an issue to subscribers: resumable, and never to anyone twice but for the
one message in flight when a worker dies.

The order (`start_mailing`) creates one Mailing per issue (unique: a double click or
a second person gets `AlreadySent`) and queues `send_mailing` on the "background"
task backend (`manage.py db_worker --backend background` runs it). The task
(`run_mailing`) first creates one Delivery row per recipient (unique per subscriber),
then works through them:

1. claim a batch of rows: `select_for_update(skip_locked=True)` so that two workers
   never take the same row, and a lease (`claimed_by`, `lease_until`) that outlives
   the transaction;
2. for each row (`sending_batch`): mark it `sending` (and the previous one `sent`)
   in one commit (`marks`), then hand the message to the mail server over the
   batch's one connection;
3. when the batch is done, mark the last row `sent`.

A worker killed at any point leaves at most one row `sending` whose message the
server may have accepted; its lease runs out and a worker resumes with every row
not `sent`, that one included. SMTP gives no way to know whether it arrived, so it
is the only possible duplicate. On PostgreSQL the marks do not wait for the disk but
every `NEWSLETTER["DURABLE_EVERY"]`-th: a crash of the database server itself can
repeat at most that many messages per worker (`marks`).

An address on the suppression list (erased on request, privacy.suppression) is
skipped at sending time, whatever its subscriber's status.
"""

import logging
import time
import uuid
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.tasks import task
from django.utils import timezone
from wagtail.models import Locale

from newsletter.issue_email import render_issue, version_for
from newsletter.models import Delivery, Mailing, NewsletterIssuePage, Subscriber
from newsletter.sending_batch import Claimed, Recipient, send_batch

logger = logging.getLogger(__name__)


class AlreadySent(Exception):
    """The issue has already been sent or scheduled (in any of its languages)."""

    def __init__(self, mailing):
        super().__init__(f"Mailing {mailing.pk} exists for this issue")
        self.mailing = mailing


def _option(name):
    return settings.NEWSLETTER[name]


def recipients(countries=()):
    """The confirmed subscribers, or those of them interested in `countries`
    (English country pages)."""
    subscribers = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if countries:
        subscribers = subscribers.filter(countries__in=countries).distinct()
    return subscribers


def count_by_language(subscribers):
    """{"en": 12, "fr": 30, "nl": 4} for a queryset of subscribers, every language
    present (zero where none)."""
    counts = dict(
        subscribers.order_by().values_list("language").annotate(n=Count("pk", distinct=True))
    )
    return {code: counts.get(code, 0) for code, _name in settings.LANGUAGES}


def mailing_for(issue):
    return Mailing.objects.filter(issue_key=issue.translation_key).first()


def start_mailing(issue, *, countries=(), send_after=None, user=None):
    """Order the sending of `issue` (any of its language versions) and queue it.

    Raises AlreadySent if the issue has been sent or scheduled before. The recipients
    are taken when sending starts, so that a scheduled issue reaches those who
    subscribed in the meantime and not those who left.
    """
    source = issue.get_translation_or_none(Locale.get_default()) or issue
    send_after = send_after or timezone.now()
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                issue_key=issue.translation_key,
                issue=source,
                subject=source.title,
                send_after=send_after,
                created_by=user if user and user.is_authenticated else None,
            )
            mailing.countries.set(countries)
    except IntegrityError:
        raise AlreadySent(mailing_for(issue)) from None
    transaction.on_commit(lambda: enqueue(mailing))
    return mailing


@task(backend="background")
def send_mailing(mailing_id):
    """Send what is left of a mailing (all of it the first time)."""
    return dict(run_mailing(mailing_id))


def enqueue(mailing):
    return send_mailing.using(run_after=mailing.send_after).enqueue(mailing.pk)


def cancel(mailing):
    """Cancel a mailing that has not started. Returns whether it was cancelled (an
    issue whose sending started cannot be stopped half-way: that would leave the
    list split between those who got it and those who did not)."""
    return bool(Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SCHEDULED).delete()[0])


def _begin(mailing_id):
    """Create the Delivery rows if the mailing has not started yet. Returns the
    mailing, or None if there is nothing to do (cancelled, or not due)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.status == Mailing.Status.DONE:
            return None
        if mailing.send_after > timezone.now():
            return None
        if mailing.status == Mailing.Status.SCHEDULED:
            _create_deliveries(mailing)
            mailing.status = Mailing.Status.SENDING
            mailing.started_at = timezone.now()
            mailing.save(update_fields=["status", "started_at"])
    return mailing


def _create_deliveries(mailing):
    """One Delivery row per recipient, made by the database in one INSERT … SELECT:
    nothing goes through Python, so memory stays flat with the list, and 50,000 rows
    take a fraction of what sending them through bulk_create took."""
    subscribers = recipients(list(mailing.countries.all())).order_by()
    select, params = subscribers.values(
        recipient_id=F("pk"), recipient_language=F("language")
    ).query.sql_with_params()
    quote = connection.ops.quote_name
    fields = ("mailing", "subscriber", "language", "status", "claimed_by", "attempts", "error")
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in fields)
    # Names quoted by the backend, values as parameters.
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "  # noqa: S608
        "SELECT %s, recipient_id, recipient_language, %s, '', 0, '' "
        f"FROM ({select}) AS recipients ORDER BY recipient_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [mailing.pk, Delivery.Status.PENDING, *params])


def _claim(mailing, worker):
    """Take up to BATCH_SIZE rows that nobody holds: waiting ones, and ones whose
    worker's lease ran out (it died), `sending` ones included."""
    now = timezone.now()
    lease_until = now + timedelta(seconds=_option("LEASE_SECONDS"))
    token = f"{worker}:{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        free = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(mailing=mailing, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("pk")
            .values_list("pk", flat=True)[: _option("BATCH_SIZE")]
        )
        # Conditional, so that on a database without row locks (SQLite) a row taken
        # by another worker in the meantime is not taken twice.
        Delivery.objects.filter(pk__in=free).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        ).update(claimed_by=token, lease_until=lease_until)
    rows = (
        Delivery.objects.filter(mailing=mailing, claimed_by=token)
        .order_by("pk")
        .values_list(
            "pk",
            "claimed_by",
            "attempts",
            "subscriber_id",
            "subscriber__email",
            "subscriber__language",
            "subscriber__status",
        )
    )
    return [
        Claimed(pk, claimed_by, attempts, Recipient(*subscriber) if subscriber[0] else None)
        for pk, claimed_by, attempts, *subscriber in rows
    ]


def _unfinished(mailing):
    return Delivery.objects.filter(
        mailing=mailing, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    )


class _Renderings(dict):
    """The issue rendered once per reader language, on first need."""

    def __init__(self, mailing):
        super().__init__()
        issue = NewsletterIssuePage.objects.filter(translation_key=mailing.issue_key).first()
        self.issue = issue.specific if issue else None

    def __missing__(self, language):
        self[language] = render_issue(version_for(self.issue, language), language)
        return self[language]


def run_mailing(mailing_id, *, worker=None):
    """Send whatever is left of a mailing. Safe to run in several workers at once,
    and again after a crash. Returns a Counter of outcomes for this run."""
    worker = worker or uuid.uuid4().hex[:12]
    outcome = Counter()
    mailing = _begin(mailing_id)
    if mailing is None:
        return outcome
    renderings = _Renderings(mailing)
    if renderings.issue is None:
        logger.error("Mailing %s: its issue no longer exists", mailing.pk)
        return outcome
    while True:
        batch = _claim(mailing, worker)
        if batch:
            outcome.update(send_batch(batch, renderings))
            continue
        unfinished = _unfinished(mailing)
        if not unfinished.exists():
            break
        # Rows held by another worker: it may finish them, or die and free them.
        next_free = unfinished.order_by("lease_until").values_list("lease_until", flat=True)[0]
        wait = (next_free - timezone.now()).total_seconds() if next_free else 1
        time.sleep(min(max(wait, 0.2), 5))
    Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
        status=Mailing.Status.DONE, finished_at=timezone.now()
    )
    return outcome
