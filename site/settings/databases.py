"""The database from a URL (dj-database-url), with SQLite set up for a site that
takes concurrent writes: `make run`, the browser tests' server and any other
SQLite file the site runs on. See docs/production.md ("SQLite")."""

import dj_database_url

# Django's SQLite options (django/db/backends/sqlite3/base.py):
# - WAL: readers never wait for the writer, and the writer never waits for readers;
#   `synchronous=NORMAL` is WAL's usual durability (a power cut may lose the last
#   commits, never corrupt the file).
# - IMMEDIATE: a transaction takes the write lock when it begins. With SQLite's
#   default (DEFERRED), two transactions that read and then write deadlock on the
#   upgrade of their locks, and SQLite answers one of them "database is locked" at
#   once, without waiting: a 500 for the visitor.
# - timeout: how long (seconds) a writer waits for the lock before giving up.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "timeout": 20,
}


def database(url, **kwargs):
    """DATABASES["default"] for `url`; a SQLite file gets SQLITE_OPTIONS (an
    in-memory database, as the test suite's, cannot be in WAL mode: it keeps
    SQLite's defaults)."""
    config = dj_database_url.parse(url, **kwargs)
    if config["ENGINE"] == "django.db.backends.sqlite3" and not _in_memory(config["NAME"]):
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def _in_memory(name):
    name = str(name)
    return name in ("", ":memory:") or "mode=memory" in name
