"""`make run`'s settings (site/settings/dev.py: SQLite in a file, runserver), for the
server that tests/embedded/test_concurrent_writes.py starts. One change: each test
thread is a visitor of its own, told apart by X-Forwarded-For, so that 20 people
registering from 20 addresses are not one address over the rate limit."""

from diaspora_site.settings.dev import *  # noqa: F403

TRUSTED_PROXY_COUNT = 1
