"""What /healthz checks, each cheap: the database, the cache, each task queue (the
oldest task waiting to run) and the workers that serve it (their heartbeats).

Each check gives a dict with "status": "ok", "warn" (worth a look, nothing waits
on it) or "fail" (needs a person). Thresholds come from settings.HEALTH, which the
environment sets (docs/production.md). Nothing personal is reported: counts, ages
in seconds and exception class names (the workers' hosts stay in the database)."""

import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from health.models import WorkerHeartbeat

OK, WARN, FAIL = "ok", "warn", "fail"


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - reported by class name only
        return {"status": FAIL, "error": type(error).__name__}
    return {"status": OK}


def _write_and_read(outcome):
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        outcome["read"] = cache.get(key)
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - without IGNORE_EXCEPTIONS it raises
        outcome["error"] = type(error).__name__


def cache_check():
    """A write and a read, in a thread given HEALTH["CACHE_TIMEOUT"] seconds: a cache
    that accepts connections and never answers must not hold the check up. With
    production's IGNORE_EXCEPTIONS a failure reads as a missing value."""
    outcome = {}
    worker = threading.Thread(target=_write_and_read, args=(outcome,), daemon=True)
    worker.start()
    worker.join(settings.HEALTH["CACHE_TIMEOUT"])
    if worker.is_alive():
        return {"status": FAIL, "error": "timeout"}
    if outcome.get("read") != "ok":
        return {"status": FAIL, "error": outcome.get("error", "value not read back")}
    return {"status": OK}


def database_backends():
    """The aliases of the task backends that queue in the database."""
    return [
        backend.alias for backend in task_backends.all() if isinstance(backend, DatabaseBackend)
    ]


def _waiting_since(alias):
    """When the oldest task of this backend that may run now became runnable, or None."""
    ready = DBTaskResult.objects.ready().filter(backend_name=alias)
    unscheduled = ready.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))
    scheduled = ready.exclude(run_after=get_date_max()).aggregate(since=Min("run_after"))
    times = [time for time in (unscheduled["since"], scheduled["since"]) if time]
    return min(times) if times else None


def queue(alias, now):
    """The oldest waiting task's age, and the workers heard from lately."""
    health = settings.HEALTH
    max_wait = health["MAX_WAIT"].get(alias, max(health["MAX_WAIT"].values()))
    since = _waiting_since(alias)
    oldest = round((now - since).total_seconds()) if since else None
    silence = timedelta(seconds=health["WORKER_SILENCE"])
    workers = [
        {"queues": beat.queues, "seconds_since_heartbeat": age}
        for beat in WorkerHeartbeat.objects.filter(backend=alias).order_by("-beat_at")
        if (age := round((now - beat.beat_at).total_seconds())) <= silence.total_seconds()
    ]
    report = {"oldest_waiting_seconds": oldest, "max_wait_seconds": max_wait, "workers": workers}
    if oldest is not None and oldest > max_wait:
        return {"status": FAIL, "error": "tasks waiting too long", **report}
    if not workers:
        # No worker for a minute may be a restart; tasks left waiting is not.
        waiting_long = oldest is not None and oldest > min(max_wait, silence.total_seconds())
        status, error = (FAIL, "no worker, tasks waiting") if waiting_long else (WARN, "no worker")
        return {"status": status, "error": error, **report}
    return {"status": OK, **report}


def queues(now=None):
    now = now or timezone.now()
    return {alias: queue(alias, now) for alias in database_backends()}
