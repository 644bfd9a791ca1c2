"""Marking deliveries as a worker sends them: one statement per message, committed
before the message goes to the mail server.

Each step marks the previous message `sent` (the server accepted it) and this one
`sending`, in one commit. A worker killed at any point therefore leaves at most one
row `sending` whose message the server may have accepted: the one duplicate a
worker crash can cause.

On PostgreSQL, that commit does not wait for the disk (`SET LOCAL
synchronous_commit = off`, for that one transaction only), except at every
`NEWSLETTER["DURABLE_EVERY"]`-th step. Such a commit is visible to every other
session at once and survives the worker; only a crash of the database server
itself can lose it, and then only the steps after the last durable commit, since
PostgreSQL writes its log in order and a durable commit flushes everything before
it. So a database-server crash makes at most DURABLE_EVERY subscribers (per worker
sending at the time) get the issue twice. Everything else the site writes,
registrations and subscriptions included, keeps the server's setting (`on`).

On SQLite every step is an ordinary commit (WAL, `synchronous=NORMAL`): a crash of
the worker, which is also the database there, repeats at most one message.
"""

import uuid
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from newsletter.models import Delivery

# What the step statement costs with and without waiting for the disk, on this
# machine's PostgreSQL, is in docs/newsletter.md ("Benchmarks").
_NO_WAIT = "SET LOCAL synchronous_commit = off; "


class Marks:
    """The steps of one batch, over one cursor. Use as a context manager.

    On PostgreSQL the statement is prepared once per batch (PREPARE, then EXECUTE
    per message): planning it took a third of the server's time for a step. Both
    that and the SET LOCAL sent with the EXECUTE assume what the site uses: a
    connection of its own (no pooler in transaction mode) and Django's client-side
    binding (the default; `server_side_binding` would refuse two statements)."""

    def __init__(self, token):
        self.token = token  # the batch's claim
        self.durable_every = settings.NEWSLETTER["DURABLE_EVERY"]
        # A batch starts after durable commits (the claim); so does this count.
        self.since_durable = 0
        self.postgres = connection.vendor == "postgresql"
        self.statement = f"newsletter_step_{uuid.uuid4().hex[:12]}"

    def __enter__(self):
        self.cursor = connection.cursor()
        if self.postgres:
            # The token is the same for the whole batch, and the server's clock
            # stamps `sent_at`: each EXECUTE then carries two whole numbers, and the
            # driver has nothing to quote or convert.
            update = _update(("$1", "$2", "%s", "statement_timestamp()"))
            self.cursor.execute(f"PREPARE {self.statement} AS {update}", [self.token])
        return self

    def __exit__(self, *exc_info):
        try:
            if self.postgres:
                self.cursor.execute(f"DEALLOCATE {self.statement}")
        except DatabaseError:
            if exc_info[0] is None:
                raise  # otherwise the error that ended the batch matters more
        finally:
            self.cursor.close()

    def step(self, previous, current):
        """In one commit: mark the delivery `previous` (a pk, or None) `sent` and
        `current` `sending`. Returns whether `current` is still ours (its lease may
        have been taken over by another worker)."""
        if self.postgres:
            durable = self.since_durable + 1 >= self.durable_every
            previous_sql = "NULL" if previous is None else int(previous)
            sql = f"EXECUTE {self.statement}({int(current)}, {previous_sql})"
            if not durable:
                # Same round trip, same (implicit) transaction: the SET LOCAL lasts
                # until this statement's commit.
                sql = _NO_WAIT + sql
            self.cursor.execute(sql)
            if not durable:
                self.cursor.nextset()  # the UPDATE's result, after the SET's
        else:
            durable = True
            params = {
                "current": current,
                "previous": previous,
                "token": self.token,
                "now": connection.ops.adapt_datetimefield_value(timezone.now()),
            }
            self.cursor.execute(_update(_NAMED), params)
        self.since_durable = 0 if durable else self.since_durable + 1
        # The previous row is ours whatever happens; this one only if not taken over.
        return self.cursor.rowcount == (1 if previous is None else 2)


_NAMED = ("%(current)s", "%(previous)s", "%(token)s", "%(now)s")


@cache
def _update(placeholders):
    """One UPDATE statement, written in SQL: this runs once per message, and two ORM
    updates in a transaction (BEGIN, UPDATE, UPDATE, COMMIT) took 1.9 ms a message
    on PostgreSQL where this took 0.7 ms. `placeholders`: those of the current
    row's id, the previous row's id (or NULL), the batch's token and the time."""
    current, previous, token, now = placeholders
    names = {
        field: connection.ops.quote_name(Delivery._meta.get_field(field).column)
        for field in ("id", "status", "attempts", "sent_at", "claimed_by", "lease_until")
    }
    names["table"] = connection.ops.quote_name(Delivery._meta.db_table)
    names["sending"] = f"'{Delivery.Status.SENDING}'"
    names["sent"] = f"'{Delivery.Status.SENT}'"
    names.update(current=current, previous=previous, token=token, now=now)
    # Each column keeps its value on the current row (id = current) and takes the
    # `sent` value on the previous one.
    return """
        UPDATE {table} SET
            {status} = CASE WHEN {id} = {current} THEN {sending} ELSE {sent} END,
            {attempts} = CASE WHEN {id} = {current} THEN {attempts} + 1 ELSE {attempts} END,
            {sent_at} = CASE WHEN {id} = {current} THEN {sent_at} ELSE {now} END,
            {claimed_by} = CASE WHEN {id} = {current} THEN {claimed_by} ELSE '' END,
            {lease_until} = CASE WHEN {id} = {current} THEN {lease_until} ELSE NULL END
        WHERE {id} = {previous} OR ({id} = {current} AND {claimed_by} = {token})
    """.format(**names)
