"""scripts/worker.sh keeps a task worker running: it starts it again when it dies
(django-tasks-db's worker exits on a database error), runs `resume_mailings` before
each start of the background worker, and stops with its worker on SIGTERM.

A stand-in for Python records each `manage.py` command it is given and plays the
worker: it dies at once, or runs until told to stop. The loop is what is tested."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.subprocess]

ROOT = Path(__file__).resolve().parents[2]
FAKE_PYTHON = """#!/bin/sh
# $1 is manage.py, $2 the command.
echo "$2 $*" >> "$CALLS"
if [ "$2" = task_worker ]; then
    if [ "$WORKER_DIES" = 1 ]; then exit 3; fi
    trap 'echo "stopped" >> "$CALLS"; exit 0' TERM
    while :; do sleep 0.1; done
fi
"""


def start_loop(tmp_path, backend, *, dies):
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    calls = tmp_path / "calls.txt"
    env = {
        **os.environ,
        "PYTHON_BIN": str(fake),
        "CALLS": str(calls),
        "WORKER_DIES": "1" if dies else "0",
        "WORKER_RESTART_SECONDS": "0.2",
    }
    loop = subprocess.Popen(  # noqa: S603 - our own script
        [str(ROOT / "scripts/worker.sh"), backend],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    return loop, calls


def commands(calls):
    return [line.split()[0] for line in calls.read_text().splitlines()] if calls.exists() else []


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_dying_worker_is_started_again_after_resume_mailings(tmp_path):
    loop, calls = start_loop(tmp_path, "background", dies=True)
    try:
        assert wait_for(lambda: commands(calls).count("task_worker") >= 3)
    finally:
        loop.send_signal(signal.SIGTERM)
        loop.wait(timeout=10)
    ran = commands(calls)
    # resume_mailings before each start of the worker.
    assert ran[:4] == ["resume_mailings", "task_worker", "resume_mailings", "task_worker"]
    assert "--backend background --queue-name default --no-reload" in calls.read_text()
    assert "the background worker stopped (exit 3)" in loop.stderr.read()
    assert loop.returncode == 0


def test_sigterm_stops_the_worker_and_the_loop(tmp_path):
    loop, calls = start_loop(tmp_path, "emails", dies=False)
    assert wait_for(lambda: "task_worker" in commands(calls))
    time.sleep(0.3)  # the worker is running, not restarting
    loop.send_signal(signal.SIGTERM)
    assert loop.wait(timeout=10) == 0
    ran = commands(calls)
    # The emails worker needs no resume_mailings; it got the signal and was not restarted.
    assert ran == ["task_worker", "stopped"]
