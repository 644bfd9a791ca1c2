"""Tasks left running by a worker that died (killed, or its database went away
mid-task): django-tasks-db leaves them RUNNING for ever, so an email a visitor was
promised would never go. A worker that starts puts them back in the queue.

A task is an orphan when the worker that claimed it last has not beaten for
ORPHAN_SILENCE seconds (health/heartbeat.py beats every 30 s, from a thread, even
during a long task). Every worker must therefore be `task_worker`, never plain
`db_worker`, whose tasks would look orphaned. A task run again may send its email
twice if the worker died between sending and recording it: once is better than
never here, and the newsletter's sending records each delivery before moving on.
"""

import logging
from datetime import timedelta

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from health.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

ORPHAN_SILENCE = 90


def requeue_orphans(backend_name):
    """Put the orphaned RUNNING tasks of `backend_name` back to READY; returns how many."""
    live = set(
        WorkerHeartbeat.objects.filter(
            beat_at__gte=timezone.now() - timedelta(seconds=ORPHAN_SILENCE)
        ).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.filter(
        backend_name=backend_name, status=TaskResultStatus.RUNNING
    ).values_list("pk", "worker_ids")
    orphans = [pk for pk, worker_ids in running if not worker_ids or worker_ids[-1] not in live]
    requeued = DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if requeued:
        logger.warning("%s task(s) left running by a dead worker are queued again.", requeued)
    return requeued
