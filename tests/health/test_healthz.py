"""/healthz tells an operator's monitor whether something needs a person, and
/healthz/serving tells a load balancer whether this server can serve pages."""

import signal
import socket
import time
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks.signals import task_started
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from events.tasks import send_reminders
from health import checks
from health.heartbeat import Heartbeat
from health.models import WorkerHeartbeat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queues")]


def worker(backend, seconds_ago=5):
    WorkerHeartbeat.objects.create(
        worker_id=f"{backend}-{seconds_ago}",
        backend=backend,
        queues="default",
        host="worker-1",
        started_at=timezone.now() - timedelta(hours=1),
        beat_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def waiting_task(backend, seconds):
    result = send_reminders.using(backend=backend).enqueue(str(uuid.uuid4()))  # no such event
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(seconds=seconds)
    )


def health(client, path="/healthz"):
    response = client.get(path)
    return response.status_code, response.json()


def test_all_fine(client):
    worker("background")
    worker("emails")
    waiting_task("emails", 10)  # just queued: fine
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert body["cache"] == {"status": "ok"}
    assert body["queues"]["emails"]["oldest_waiting_seconds"] == 10
    assert body["queues"]["emails"]["workers"] == [
        {"queues": "default", "seconds_since_heartbeat": 5}
    ]
    assert body["queues"]["background"]["oldest_waiting_seconds"] is None
    # Never cached (by the page cache, a CDN or a proxy), no language redirect.
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "worker-1" not in response.content.decode()  # hosts stay inside


def test_a_database_error_is_503(client):
    worker("background")
    with mock.patch.object(checks.connection, "cursor", side_effect=OperationalError("down")):
        status, body = health(client)
        assert status == 503
        assert body["database"] == {"status": "fail", "error": "OperationalError"}
        assert body["queues"]["emails"]["error"] == "no database"
        status, body = health(client, "/healthz/serving")
        assert status == 503


@override_settings(
    HEALTH={
        "MAX_WAIT": {"emails": 300, "background": 1800},
        "WORKER_SILENCE": 180,
        "CACHE_TIMEOUT": 1,
    }
)
def test_an_email_waiting_too_long_is_503(client):
    worker("background")
    worker("emails")
    waiting_task("emails", 301)
    status, body = health(client)
    assert status == 503
    assert body["queues"]["emails"]["status"] == "fail"
    assert body["queues"]["emails"]["error"] == "tasks waiting too long"
    assert body["queues"]["background"]["status"] == "ok"
    waiting_task("background", 1000)  # an issue may wait longer behind another
    DBTaskResult.objects.filter(backend_name="emails").delete()
    assert health(client)[0] == 200


def test_no_worker_while_tasks_wait_is_503_and_no_worker_idle_is_a_warning(client):
    worker("background")
    worker("emails", seconds_ago=600)  # silent for 10 minutes: gone
    status, body = health(client)
    assert (status, body["status"]) == (200, "warn")
    assert body["queues"]["emails"] == {
        "status": "warn",
        "error": "no worker",
        "oldest_waiting_seconds": None,
        "max_wait_seconds": 300,
        "workers": [],
    }
    waiting_task("emails", 200)  # waiting longer than a worker may stay silent
    status, body = health(client)
    assert status == 503
    assert body["queues"]["emails"]["error"] == "no worker, tasks waiting"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_redis_down_needs_a_person_but_the_load_balancer_keeps_the_server(client):
    """Production's cache options against a closed port. The monitor gets 503; the
    load balancer's answer stays 200: the cache is shared, pages are served uncached
    without it, and pulling every server out of rotation would take the site down."""
    worker("background")
    worker("emails")
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
    with override_settings(CACHES=caches):
        started = time.monotonic()
        status, body = health(client)
        assert time.monotonic() - started < 3
        assert status == 503
        assert body["cache"]["status"] == "fail"
        assert body["database"]["status"] == "ok"
        status, body = health(client, "/healthz/serving")
        assert status == 200
        assert body["cache"]["status"] == "fail"  # reported, not counted


def test_a_cache_that_never_answers_fails_within_the_timeout(client):
    with mock.patch.object(checks, "_write_and_read", lambda outcome: time.sleep(5)):
        started = time.monotonic()
        result = checks.cache_check()
    assert result == {"status": "fail", "error": "timeout"}
    assert time.monotonic() - started < 2


def test_the_worker_writes_a_heartbeat_while_it_runs_and_removes_it_after():
    seen = []

    def look(sender, task_result, **kwargs):
        seen.extend(WorkerHeartbeat.objects.values_list("backend", "queues"))

    waiting_task("background", 0)
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    task_started.connect(look)
    # The worker closes its connection between tasks: not this test's, which holds
    # the test's transaction (see tests/test_email_queue.py).
    keep_connection = mock.patch.object(db_worker, "close_old_connections")
    try:
        keep_connection.start()
        call_command(
            "task_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0
        )
    finally:
        keep_connection.stop()
        task_started.disconnect(look)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert seen == [("background", "default")]
    assert not WorkerHeartbeat.objects.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_heartbeats_repeat_from_a_thread_until_the_worker_stops():
    """A worker busy with one long task (an issue to the whole list) still beats."""
    with (
        mock.patch.object(Heartbeat, "beat") as beat,
        mock.patch("health.heartbeat.requeue_orphans") as requeue,
    ):
        with Heartbeat(worker_id="w1", backend="emails", queues="default", seconds=0.05):
            time.sleep(0.4)  # the main thread busy with a task
        beats = beat.call_count
        time.sleep(0.2)
    assert beats >= 4
    assert beat.call_count == beats  # none after the worker stopped
    # Each beat also looks for what a worker that died meanwhile left running.
    assert requeue.call_count >= 3
    assert requeue.call_args.args == ("emails",)


def test_a_worker_that_starts_queues_again_what_a_dead_worker_left_running():
    from health.orphans import requeue_orphans

    def running(worker_id):
        result = send_reminders.using(backend="emails").enqueue(str(uuid.uuid4()))
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", worker_ids=[worker_id], started_at=timezone.now()
        )
        return result.id

    worker("emails", seconds_ago=5)  # alive: "emails-5"
    worker("emails", seconds_ago=600)  # killed ten minutes ago: "emails-600"
    alive, dead, vanished = running("emails-5"), running("emails-600"), running("gone")

    assert requeue_orphans("emails") == 2
    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("pk", "status")}
    assert status[alive] == "RUNNING", "a live worker's task is left alone"
    assert status[dead] == status[vanished] == "READY"
    assert requeue_orphans("background") == 0
