#!/bin/sh
# Run the task worker of one backend and keep it running (docs/production.md).
#
#   scripts/worker.sh <backend> [queue]      e.g. background, emails
#
# django-tasks-db's worker exits on a database error other than "locked" (PostgreSQL
# restarting, say): this loop starts it again after WORKER_RESTART_SECONDS (5). Before
# each start of the "background" worker, `resume_mailings` queues again the mailings
# that a dead worker left half-sent. SIGTERM or SIGINT stops the worker (it finishes
# the task in hand) and the loop. In production, systemd's Restart=always does the
# same job; this is for `make run`, `make worker` and machines without a supervisor.
set -u
backend=${1:?usage: scripts/worker.sh <backend> [queue]}
queue=${2:-default}
python=${PYTHON_BIN:-.venv/bin/python}
backoff=${WORKER_RESTART_SECONDS:-5}
child=

stop() {
    trap - TERM INT
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    exit 0
}
trap stop TERM INT

while :; do
    if [ "$backend" = background ]; then
        "$python" manage.py resume_mailings || echo "worker.sh: resume_mailings failed" >&2
    fi
    "$python" manage.py task_worker --backend "$backend" --queue-name "$queue" --no-reload &
    child=$!
    wait "$child"
    status=$?
    echo "worker.sh: the $backend worker stopped (exit $status); again in ${backoff}s" >&2
    sleep "$backoff" &
    child=$!
    wait "$child"
    child=
done
