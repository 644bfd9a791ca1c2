"""Which database the suite runs on: SQLite in memory unless DATABASE_URL says
otherwise (CI's second pass uses PostgreSQL)."""

import os

import dj_database_url

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = bool(DATABASE_URL) and "postgresql" in dj_database_url.parse(DATABASE_URL)["ENGINE"]
