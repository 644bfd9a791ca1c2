"""`make bench`, last part: how long after a publish the home page is warm again
(pagecache/warmup.py).

On a copy of the demo database (the demo itself is never written), with
bench/settings.py (the page cache on; Redis when REDIS_URL is set or a local one
answers, else a memory cache): a thread runs the "emails" task queue as
`scripts/worker.sh emails` does (task_worker's default: a look at the queue every
second while it is empty), and the main thread publishes a story as an editor would,
then watches the cache until the English home page is there for the public address.
Each round is the first change of its minute (the one-a-minute lock is lifted).
"""

import logging
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_WARMUP_ROUNDS", "5"))
WORKER_INTERVAL = float(os.environ.get("BENCH_WORKER_INTERVAL", "1"))


def setup_django(folder):
    copy = Path(folder) / "db.sqlite3"
    with sqlite3.connect(ROOT / "var" / "db.sqlite3") as source, sqlite3.connect(copy) as target:
        source.backup(target)
    os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
    from pages import setup_django as setup_bench_django

    setup_bench_django()
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # a line per task


def start_worker():
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=WORKER_INTERVAL,
        batch=False,
        backend_name="emails",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench-warmup",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return worker, thread


def one_round(story, number):
    from django.core.cache import cache
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from pagecache import warmup
    from pagecache.middleware import _lookup

    cache.delete(warmup.STARTED_KEY)
    home = warmup.public_environ("/en/")
    start = time.perf_counter()
    with transaction.atomic():
        story.title = f"{story.title.split(' #')[0]} #{number}"
        story.save_revision().publish()
    published = time.perf_counter()
    while _lookup(home)[2] is None:
        time.sleep(0.005)
    warm = time.perf_counter()
    task = DBTaskResult.objects.filter(
        task_path="pagecache.warmup.warm_pages", args_kwargs__args=["change"]
    ).latest("enqueued_at")
    while task.status not in ("SUCCESSFUL", "FAILED"):
        time.sleep(0.05)
        task.refresh_from_db()
    queued = (task.started_at - task.enqueued_at).total_seconds()
    return published - start, warm - start, queued, task.return_value


def main():
    sys.path.insert(0, str(ROOT / "bench"))
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from django.conf import settings

        from stories.models import StoryPage

        story = StoryPage.objects.filter(locale__language_code="en").live().first()
        worker, thread = start_worker()
        rows = [one_round(story, number) for number in range(1, ROUNDS + 1)]
        worker.running = False
        thread.join(timeout=WORKER_INTERVAL + 5)
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"\nFrom a publish to a warm home page (copy of the demo database, cache "
        f"{cache_backend}, the worker looks at the queue every {WORKER_INTERVAL:g} s)"
    )
    print(f"{'round':<6} {'publish ms':>10} {'home warm ms':>12} {'queued ms':>9}  warm-up")
    for number, (publish, warm, queued, result) in enumerate(rows, 1):
        print(
            f"{number:<6} {publish * 1000:>10.0f} {warm * 1000:>12.0f} {queued * 1000:>9.0f}  "
            f"{result['pages']} pages in {result['seconds'] * 1000:.0f} ms"
        )
    warm_times = [warm * 1000 for _publish, warm, _queued, _result in rows]
    print(
        f"Publish to a warm home page: median {statistics.median(warm_times):.0f} ms, "
        f"at most {max(warm_times):.0f} ms (the home page is the first one warmed; round 1 "
        "is the worker's first task, with nothing loaded yet)."
    )


if __name__ == "__main__":
    main()
