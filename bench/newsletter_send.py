"""Benchmark: one newsletter issue sent to N subscribers through a local SMTP sink.

    make bench-newsletter                       # SQLite; DATABASE_URL=postgres://… for PostgreSQL
    .venv/bin/python bench/newsletter_send.py --sizes 10000,50000 [--runs 3] [--profile]

For each N it builds a database holding the demo site (migrate and load_demo once,
then a copy per N): a fresh SQLite file in a temporary folder, or, when
DATABASE_URL points at PostgreSQL, fresh databases on that server (dropped at the
end). It adds N confirmed subscribers (en/fr/nl) and orders the mailing. Then,
`--runs` times, alternately: it sends the mailing with `sending.run_mailing` in a
fresh process on a fresh copy of that database, one worker as `db_worker` runs it,
into Postfix's `smtp-sink`, which is fast enough not to be the bottleneck (an
aiosmtpd server would be); and it runs the ceiling of this stack, a bare smtplib
loop sending one real message (the bytes the worker sent, English) N times over one
connection to the same sink. The time counted is the whole of `run_mailing`:
creating the Delivery rows, claiming batches, marking each row, rendering, sending.
It prints each run, then the medians; the ratio is the median of each send's rate
over the bare loop's run right after it (a loaded machine slows both).

Memory is that of the sending process: its peak resident size during the send
(Linux's VmHWM, reset just before the send) and how much of it the send added.
Both should stay flat as N grows.

Settings: `diaspora_site.settings.test` (DEBUG off), with its mailer pointed at the
sink (TEST_SMTP_PORT) and the production BATCH_SIZE, LEASE_SECONDS and DURABLE_EVERY.
"""

import argparse
import email.policy
import json
import os
import re
import shutil
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "diaspora_site.settings.test"
SENDER = "diaspora@iom-belgium.example"

from services import free_port  # noqa: E402 (bench/ is on the path when run)

# --- the parent: databases, the sink, the table ----------------------------------


def find_smtp_sink():
    return shutil.which("smtp-sink") or next(
        (
            path
            for path in ("/usr/sbin/smtp-sink", "/usr/local/sbin/smtp-sink")
            if os.access(path, os.X_OK)
        ),
        None,
    )


@contextmanager
def smtp_sink(binary):
    """Postfix's smtp-sink on a free port: accepts and discards every message."""
    port = free_port()
    command = [binary, "-c", f"127.0.0.1:{port}", "100"]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]  # it refuses to run as root otherwise
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    sys.exit(f"smtp-sink did not start: {process.stderr.read().decode()}")
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait()


class SQLiteDatabases:
    def __init__(self, folder):
        self.folder = folder
        self.template = folder / "template.sqlite3"

    def url(self, path):
        return f"sqlite:///{path}"

    def create_template(self):
        return self.url(self.template)

    def copy(self, name, source=None):
        path = self.folder / f"{name}.sqlite3"
        shutil.copyfile(self.folder / f"{source}.sqlite3" if source else self.template, path)
        return self.url(path)

    def drop(self, name):
        for suffix in ("", "-wal", "-shm"):
            (self.folder / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)

    def drop_all(self):
        pass  # the temporary folder goes


class PostgreSQLDatabases:
    """Fresh databases on the server of `url`, never the database it names."""

    def __init__(self, url):
        self.base_url = url
        self.prefix = f"bench_newsletter_{uuid.uuid4().hex[:8]}"
        self.names = []

    def _create(self, name, template=None):
        from tests.databases import create_database

        url = create_database(self.base_url, name, template=template)
        self.names.append(name)
        return url

    def create_template(self):
        return self._create(self.prefix)

    def copy(self, name, source=None):
        source = f"{self.prefix}_{source}" if source else self.prefix
        return self._create(f"{self.prefix}_{name}", template=source)

    def drop(self, name):
        from tests.databases import drop_database

        drop_database(self.base_url, f"{self.prefix}_{name}")
        self.names.remove(f"{self.prefix}_{name}")

    def drop_all(self):
        from tests.databases import drop_database

        for name in reversed(self.names):
            drop_database(self.base_url, name)


def child_env(database_url, smtp_port, tmp):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "TEST_SMTP_PORT": str(smtp_port),
        "TMPDIR": str(tmp),  # the test settings' media folder goes there
        "PYTHONUNBUFFERED": "1",
    }


def run(command, env):
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run_child(step, env, *args):
    output = run([sys.executable, __file__, "--child", step, *map(str, args)], env)
    lines = output.strip().splitlines()
    for line in lines[:-1]:
        print(line)  # a profile, when asked for
    return json.loads(lines[-1])


def bare_smtplib_rate(port, raw, count):
    """The ceiling: `count` times the same bytes over one smtplib connection."""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        start = time.perf_counter()
        for n in range(count):
            smtp.sendmail(SENDER, [f"reader-{n}@example.org"], raw)
        return count / (time.perf_counter() - start)


def main():
    sys.path.insert(0, str(ROOT))  # tests.databases, for the PostgreSQL databases
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10000,50000", help="numbers of subscribers, comma-separated"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each of the two loops per size (median)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server to create the databases on (default: SQLite files)",
    )
    parser.add_argument("--profile", action="store_true", help="profile the first send (cProfile)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        return child(args.child, rest)

    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    binary = find_smtp_sink()
    if not binary:
        print(
            "smtp-sink (Postfix's SMTP test server) is missing. Install it with:\n"
            "    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y postfix\n"
            "and keep the postfix service itself stopped; only the smtp-sink program is used.",
            file=sys.stderr,
        )
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-newsletter-") as tmp, smtp_sink(binary) as port:
        tmp = Path(tmp)
        on_postgres = args.database_url.startswith(("postgres://", "postgresql://", "pgsql://"))
        databases = PostgreSQLDatabases(args.database_url) if on_postgres else SQLiteDatabases(tmp)
        try:
            start = time.perf_counter()
            template = databases.create_template()
            env = child_env(template, port, tmp)
            run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
            run([sys.executable, "manage.py", "load_demo", "-v0"], env)
            print(
                f"Database: {'PostgreSQL' if on_postgres else 'SQLite'}, demo site built in "
                f"{time.perf_counter() - start:.0f} s; sink: smtp-sink on port {port}; "
                f"{args.runs} runs of each loop per size, alternating"
            )
            rows = []
            for index, size in enumerate(sizes):
                populated = f"n{size}"
                run_child("populate", child_env(databases.copy(populated), port, tmp), size)
                runs = []
                for number in range(args.runs):
                    # A fresh copy of the populated site for each send: the same
                    # mailing, ordered and not started.
                    name = f"{populated}_run{number}"
                    env = child_env(databases.copy(name, source=populated), port, tmp)
                    profile = args.profile and index == 0 and number == 0
                    result = run_child("send", env, size, int(profile))
                    databases.drop(name)
                    raw = Path(result["sample"]).read_bytes()
                    ceiling = bare_smtplib_rate(port, raw, size)
                    runs.append({**result, "ceiling": ceiling, "profiled": profile})
                    print_run(size, number, runs[-1])
                databases.drop(populated)
                rows.append(summary(size, runs, len(raw)))
            print_table(rows)
        finally:
            databases.drop_all()
    return 0


def summary(size, runs, message_bytes):
    """The medians of a size's runs. The ratio is the median of each run's ratio to
    the bare loop run right after it, so that the machine's load at the time counts
    for both."""
    timed = [run for run in runs if not run["profiled"]] or runs
    return {
        "n": size,
        "runs": len(timed),
        "rate": statistics.median(run["rate"] for run in timed),
        "ceiling": statistics.median(run["ceiling"] for run in timed),
        "ratio": statistics.median(run["rate"] / run["ceiling"] for run in timed),
        "queries": statistics.median(run["queries"] for run in timed),
        "peak_kb": max(run["peak_kb"] for run in runs),
        "added_kb": max(run["added_kb"] for run in runs),
        "size": message_bytes,
    }


def print_run(size, number, run):
    note = "  (profiled: slower, left out)" if run["profiled"] else ""
    print(
        f"  {size:>7,} run {number + 1}: site {run['rate']:6.0f}/s, bare smtplib loop "
        f"{run['ceiling']:6.0f}/s, ratio {run['rate'] / run['ceiling']:.2f}, peak RSS "
        f"{run['peak_kb'] / 1024:.0f} MB{note}",
        flush=True,
    )


def print_table(rows):
    print(
        f"\n{'N':>7} {'emails/s':>9} {'ceiling/s':>10} {'ratio':>6} "
        f"{'queries/msg':>12} {'peak RSS':>9} {'send added':>11} {'msg bytes':>10}"
    )
    for row in rows:
        print(
            f"{row['n']:>7,} {row['rate']:>9.0f} {row['ceiling']:>10.0f} {row['ratio']:>6.2f} "
            f"{row['queries'] / row['n']:>12.2f} {row['peak_kb'] / 1024:>7.0f} MB "
            f"{row['added_kb'] / 1024:>8.0f} MB {row['size']:>10,}"
        )
    print(
        "(medians of the runs; ratio: the median of each run's emails/s over the bare loop "
        "run right after it; memory: the largest of the runs)"
    )


# --- the children: one process per step, so that memory figures are the send's --


def _status_kb(field):
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1))


def child(step, args):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if step == "populate":
        populate(int(args[0]))
    elif step == "send":
        send(int(args[0]), profile=args[1] == "1")


def populate(size):
    from django.utils import timezone

    from newsletter import sending, subscriptions
    from newsletter.models import NewsletterIssuePage, Subscriber

    languages = ["en", "fr", "nl"]
    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader-{n}@example.org",
                language=languages[n % 3],
                status=Subscriber.Status.CONFIRMED,
                consent_text_version=subscriptions.CONSENT_TEXT_VERSION,
                consent_given_at=now,
            )
            for n in range(size)
        ),
        batch_size=2000,
    )
    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    sending.start_mailing(issue)
    print(json.dumps({}))


def send(size, *, profile):
    from django.db import connection

    from newsletter import sending
    from newsletter.issue_email import render_issue, version_for
    from newsletter.models import Mailing, Subscriber

    mailing = Mailing.objects.get()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM)
    before_kb = _status_kb("VmRSS")
    start = time.perf_counter()
    with connection.execute_wrapper(count):
        if profiler:
            profiler.enable()
        outcome = sending.run_mailing(mailing.pk)
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - start
    peak_kb = _status_kb("VmHWM")
    if outcome != {"sent": size}:
        sys.exit(f"expected {size} sent, got {dict(outcome)}")

    if profiler:
        import io
        import pstats

        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(25)
            print(f"--- profile of the send, by {order} ---")
            print(text.getvalue())

    # One real message, as the worker sent it, for the ceiling loop.
    subscriber = Subscriber.objects.filter(language="en").first()
    issue = mailing.issue.specific
    message = render_issue(version_for(issue, "en"), "en").message_for(subscriber)
    raw = message.message(policy=email.policy.SMTP).as_bytes()  # as the SMTP backend does
    sample = Path(tempfile.gettempdir()) / f"sample-{size}.eml"
    sample.write_bytes(raw)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rate": size / seconds,
                "queries": queries,
                "peak_kb": peak_kb,
                "added_kb": peak_kb - before_kb,
                "sample": str(sample),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
