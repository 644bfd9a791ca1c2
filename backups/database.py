"""The database's dump and its restore: PostgreSQL with `pg_dump --format=custom`
and `pg_restore`, SQLite with its online backup API. Both take a consistent copy
while the site writes: SQLite's backup copies one state of the file; on PostgreSQL
the rows are counted in a repeatable-read transaction whose snapshot `pg_dump` then
shares (`--snapshot`), so the manifest's counts are those of the dump."""

import os
import shutil
import sqlite3
import subprocess

from django.core.management.base import CommandError
from django.db import connections, transaction

ALIAS = "default"


def engine():
    vendor = connections[ALIAS].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise CommandError(f"Backups handle SQLite and PostgreSQL, not {vendor}.")
    return vendor


def dump_name():
    return "database.sqlite3" if engine() == "sqlite" else "database.pgdump"


def table_counts(cursor, tables):
    counts = {}
    for table in sorted(tables):
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 (a table name)
        counts[table] = cursor.fetchone()[0]
    return counts


def tables():
    """The tables of the site's database (none: it is empty)."""
    connection = connections[ALIAS]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def dump(path):
    """Writes the database to `path`; returns its row count per table. Outside a
    transaction: SQLite's backup would wait for ever on the connection's own writes,
    and PostgreSQL's snapshot must be the transaction's first statement."""
    if connections[ALIAS].in_atomic_block:
        raise CommandError("The backup must run outside a transaction.")
    if engine() == "sqlite":
        return _dump_sqlite(path)
    return _dump_postgresql(path)


def restore(path):
    """Loads the dump at `path` into the site's database, which must be empty."""
    connections.close_all()
    if engine() == "sqlite":
        _restore_sqlite(path)
    else:
        _run(["pg_restore", "--exit-on-error", "--single-transaction", *_RESTORE_OPTIONS,
              "--dbname", _postgres()["NAME"], str(path)])  # fmt: skip
    connections.close_all()
    with connections[ALIAS].cursor() as cursor:
        return table_counts(cursor, connections[ALIAS].introspection.table_names(cursor))


def check(path, counts):
    """Problems found opening the dump at `path` (an empty list: none). SQLite: the
    file passes `integrity_check` and holds the rows the manifest counts; PostgreSQL:
    `pg_restore --list` reads it and it holds the data of every table counted."""
    if path.name.endswith(".sqlite3"):
        try:
            with _read_only(path) as database:
                result = database.execute("PRAGMA integrity_check").fetchall()
                if result != [("ok",)]:
                    return ["the database file fails SQLite's integrity check"]
                names = [row[0] for row in database.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
                found = table_counts(database.cursor(), names)
        except sqlite3.DatabaseError as error:
            return [f"the database file does not open ({error})"]
        return [] if found == counts else ["the database's rows differ from the manifest's"]
    program = shutil.which("pg_restore")
    if not program:
        return ["pg_restore is not installed: the dump could not be opened"]
    listed = subprocess.run(  # noqa: S603
        [program, "--list", str(path)], capture_output=True, text=True, check=False
    )
    # Its table of contents comes first: reading every row needs the whole archive.
    read = subprocess.run(  # noqa: S603
        [program, f"--file={os.devnull}", str(path)], capture_output=True, text=True, check=False
    )
    if listed.returncode or read.returncode:
        error = (listed.stderr or read.stderr).strip()[:200]
        return [f"pg_restore cannot read the dump ({error})"]
    with_data = {
        line.split(" TABLE DATA ", 1)[1].split()[1]  # "…; TABLE DATA schema table owner"
        for line in listed.stdout.splitlines()
        if " TABLE DATA " in line
    }
    missing = [table for table, rows in counts.items() if rows and table not in with_data]
    return [f"the dump lacks the data of {len(missing)} tables"] if missing else []


class _read_only:
    def __init__(self, path):
        self.database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def __enter__(self):
        return self.database

    def __exit__(self, *exc):
        self.database.close()


def _dump_sqlite(path):
    connection = connections[ALIAS]
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        # A file of its own: no WAL beside it, readable where it lies.
        copy.execute("PRAGMA journal_mode=DELETE")
        names = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        return table_counts(copy.cursor(), names)
    finally:
        copy.close()


def _restore_sqlite(path):
    connection = connections[ALIAS]
    connection.ensure_connection()
    with _read_only(path) as source:
        source.backup(connection.connection)
    connection.close()


#: Owners and grants belong to the server the dump came from, not to the new one.
_RESTORE_OPTIONS = ["--no-owner", "--no-privileges"]


def _dump_postgresql(path):
    connection = connections[ALIAS]
    with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
        _run(["pg_dump", "--format=custom", *_RESTORE_OPTIONS, f"--snapshot={snapshot}",
              f"--file={path}", _postgres()["NAME"]])  # fmt: skip
    return counts


def _postgres():
    return connections[ALIAS].settings_dict


def _run(command):
    """Runs a PostgreSQL client with the site's connection settings in its
    environment (the password never on a command line)."""
    program = shutil.which(command[0])
    if not program:
        raise CommandError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(postgresql-client) of the server's major version or newer."
        )
    params = _postgres()
    environment = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if params.get(key):
            environment[variable] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    done = subprocess.run(  # noqa: S603
        [program, *command[1:]], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise CommandError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
