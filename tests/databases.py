"""Which database the suite runs on (SQLite in memory unless DATABASE_URL says
otherwise; CI's second pass uses PostgreSQL), and throwaway PostgreSQL databases on
that server for the tests and benchmarks that need a site of their own."""

import os
from urllib.parse import urlsplit

import dj_database_url

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = bool(DATABASE_URL) and "postgresql" in dj_database_url.parse(DATABASE_URL)["ENGINE"]


def admin_connection(url=DATABASE_URL):
    """An autocommit connection to the server of `url` (CREATE and DROP DATABASE
    cannot run in a transaction)."""
    import psycopg

    params = dj_database_url.parse(url)
    return psycopg.connect(
        dbname=params["NAME"] or "postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    )


def database_url(url, name):
    """`url` with its database name replaced by `name`."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def create_database(url, name, *, template=None):
    """Create the database `name` on the server of `url` (a copy of `template` when
    given: PostgreSQL copies a database only while nobody is connected to it).
    Returns its URL."""
    from psycopg import sql

    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with admin_connection(url) as admin:
        admin.execute(query)
    return database_url(url, name)


def drop_database(url, name):
    from psycopg import sql

    with admin_connection(url) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def in_thread(function):
    """`function` for a pool thread with its own connection, closed after: what it
    writes is committed, seen by the other threads (a test's own transaction would
    hide it)."""
    from django.db import connections

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run
