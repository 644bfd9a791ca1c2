"""A task worker's heartbeat: a row written when it starts and every
HEARTBEAT_SECONDS while it runs, from a thread, so that a worker busy with one long
task (an issue going to the whole list) still shows it is alive. /healthz reads it,
and each beat looks for tasks a dead worker left running (health/orphans.py)."""

import logging
import socket
import threading

from django.db import connections
from django.utils import timezone

from health.models import WorkerHeartbeat
from health.orphans import requeue_orphans

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30


class Heartbeat:
    """`with Heartbeat(...)`: beats while the block runs, forgets the worker after."""

    def __init__(self, *, worker_id, backend, queues, seconds=HEARTBEAT_SECONDS):
        self.worker_id = worker_id
        self.fields = {"backend": backend, "queues": queues, "host": socket.gethostname()}
        self.seconds = seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._keep_beating, daemon=True)

    def beat(self):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id, defaults={**self.fields, "beat_at": timezone.now()}
        )

    def __enter__(self):
        self.fields["started_at"] = timezone.now()
        self.beat()
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join(timeout=5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception as error:  # noqa: BLE001 - the database may be why we stop
            logger.warning("Could not remove the worker's heartbeat: %s", type(error).__name__)

    def _keep_beating(self):
        try:
            while not self.stopped.wait(self.seconds):
                try:
                    self.beat()
                    # A worker that died moments before this one started (its last
                    # beat still fresh then) is seen here once its beat has aged.
                    requeue_orphans(self.fields["backend"])
                except Exception as error:  # noqa: BLE001 - a missed beat is the signal
                    logger.warning("Worker heartbeat not written: %s", type(error).__name__)
        finally:
            connections.close_all()  # this thread's own connection
