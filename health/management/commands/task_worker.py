"""django-tasks-db's `db_worker`, every option the same, writing a heartbeat that
/healthz reads (health/heartbeat.py), and queueing again on start the tasks a dead
worker left running (health/orphans.py). `scripts/worker.sh` runs it and restarts it
when it stops (docs/production.md)."""

from django_tasks_db.management.commands import db_worker

from health.heartbeat import Heartbeat
from health.orphans import requeue_orphans


class Command(db_worker.Command):
    help = "Run a database task worker (django-tasks-db's db_worker) with a heartbeat."

    def handle(self, *args, **options):
        if options["reload"]:
            # The reloader runs the worker in a child process: one heartbeat each
            # would be counted as two workers.
            self.stderr.write("task_worker does not reload: restart it after a change.")
            options["reload"] = False
        heartbeat = Heartbeat(
            worker_id=options["worker_id"],
            backend=options["backend_name"],
            queues=options["queue_name"],
        )
        with heartbeat:
            requeue_orphans(options["backend_name"])
            super().handle(*args, **options)
