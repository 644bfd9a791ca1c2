"""Running the task worker inside a test."""

from unittest import mock

from django.core.management import call_command


def run_worker():
    """Run `manage.py db_worker --backend background` until the queue is empty, in
    this process and this test's transaction.

    The worker closes database connections it thinks are stale between tasks; on
    PostgreSQL the test's open transaction makes the connection look so, and closing
    it would end the test. A real worker runs outside any transaction: only here is
    that clean-up switched off.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay")
