"""Chaos: the site under load while its database and its cache die and come back.

    make bench-chaos
    .venv/bin/python bench/chaos.py [--seconds 20] [--clients 8]

Not part of CI (it takes a few minutes). It starts everything of its own in a
temporary folder, with production's settings and processes:

- a private PostgreSQL (`initdb` as the unprivileged `postgres` user when run as
  root, its own port) holding the demo site (`migrate`, `load_demo`);
- a private Redis (`redis-server`, no persistence, its own port);
- an SMTP sink (aiosmtpd), gunicorn (`gunicorn.conf.py`, 3 workers) and the task
  workers as `make worker` runs them (`scripts/worker.sh`, restarted when they die).

Then `--clients` threads load the site (pages, event registrations, newsletter
subscriptions; each request from its own forwarded address, so rate limits stay out
of the way) through five phases: steady; PostgreSQL stopped hard (`pg_ctl stop -m
immediate`) and started again; steady; Redis killed (`kill -9`) and started again
(empty, as after a crash); steady. It prints, per phase, the requests answered and
the server errors (503 "try again" apart from 500), then the lost writes (a
registration or subscription the site acknowledged, 200 or 303, that is not in the
database at the end) and how long each service took to serve writes again after it
came back. The README quotes the latest figures; the goal is 0 lost writes, 0 × 500.
"""

import argparse
import collections
import contextlib
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PAGES = ["/en/", "/fr/", "/nl/", "/en/stories/", "/fr/evenements/", "/nl/landen/"]

# bench/ is on the path when run
from services import PostgreSQL, Redis, free_port, pg_bin, stop  # noqa: E402


def site_env(pg, redis, smtp_port, web_port):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{web_port}",
        "DATABASE_URL": pg.url(),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "DEFAULT_FROM_EMAIL": "chaos@example.org",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "3",
        "GUNICORN_LOG_LEVEL": "warning",
    }


def manage(env, *args, capture=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )


OPEN_EVENT = """
from events.models import EventPage, EventPlaces
for page in EventPage.objects.filter(locale__language_code="en").live():
    if page.registration_is_open():
        EventPage.objects.filter(translation_key=page.translation_key).update(capacity=10**6)
        EventPlaces.objects.filter(event_key=page.translation_key).update(capacity=10**6)
        print(page.pk)
        break
"""

STORED = """
import sys
from personal_data.records import counts, export
for email in sys.stdin.read().split():
    if not sum(counts(export(email)).values()):
        print(email)
"""


def visitor_address():
    return ".".join(str(random.randrange(1, 255)) for _ in range(4))


EMAIL_TASKS = """
from django_tasks_db.models import DBTaskResult
tasks = DBTaskResult.objects.filter(backend_name="emails")
print(*(tasks.filter(status=status).count() for status in ("READY", "RUNNING", "FAILED")))
print(tasks.count())
"""


def emails_sent(env, wait=150):
    """Visitors' emails (the "emails" queue) still waiting, running or failed once
    the workers had `wait` seconds to catch up."""
    deadline = time.monotonic() + wait
    while True:
        output = manage(env, "shell", "--no-imports", "-c", EMAIL_TASKS).stdout.split()
        waiting, running, failed, total = map(int, output)
        if not waiting + running or time.monotonic() > deadline:
            break
        time.sleep(2)
    return (
        f"Visitors' emails queued: {total}; still waiting {waiting}, running {running}, "
        f"failed {failed} (after the workers had up to {wait} s to catch up)"
    )


class Load:
    """Client threads; every answer is recorded with its time and phase."""

    def __init__(self, base, event_id, clients):
        self.base, self.event_id, self.clients = base, event_id, clients
        self.phase = "starting"
        self.answers = collections.Counter()  # (phase, status) -> count
        self.acknowledged = []  # (email, kind)
        self.write_times = []  # (time, status) of writes
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def request(self, path, data=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": visitor_address(),
            "Origin": f"https://{self.base.split('://')[1]}",
        }
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, OSError):
            return "no answer"

    def write(self, kind):
        email = f"chaos-{secrets.token_hex(6)}@example.org"
        if kind == "registration":
            path = f"/en/events/{self.event_id}/register/"
            data = {"name": "Chaos Test", "email": email, "consent": "on", "website": ""}
            ok = (200,)
        else:
            path = "/en/newsletter/subscribe/"
            data = {"email": email, "language": "en", "consent": "on", "website": ""}
            ok = (303,)
        status = self.request(path, data)
        with self.lock:
            self.write_times.append((time.monotonic(), status in ok))
            if status in ok:
                self.acknowledged.append((email, kind))
        return status

    def client(self):
        while not self.stop.is_set():
            roll = random.random()
            if roll < 0.6:
                status = self.request(random.choice(PAGES))
            else:
                status = self.write("registration" if roll < 0.8 else "subscription")
            with self.lock:
                self.answers[(self.phase, status)] += 1

    def __enter__(self):
        self.threads = [threading.Thread(target=self.client) for _ in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def first_write_after(self, moment):
        return next(
            (at - moment for at, ok in sorted(self.write_times) if at >= moment and ok), None
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_workers(env, folder):
    script = ROOT / "scripts" / "worker.sh"
    if not script.exists():
        return []
    log = open(folder / "workers.log", "w")  # noqa: SIM115
    return [
        subprocess.Popen(
            [str(script), *args], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        for args in (["background"], ["emails"])
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each steady phase")
    parser.add_argument("--down", type=int, default=8, help="seconds each service stays down")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the folder and its logs")
    args = parser.parse_args()

    urllib.request.install_opener(urllib.request.build_opener(NoRedirect))
    folder = Path(tempfile.mkdtemp(prefix="diaspora-chaos-"))
    processes = []
    pg = PostgreSQL(folder)
    pg.start()
    subprocess.run(
        [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "chaos"],
        check=True,
    )
    redis = Redis()
    redis.start()
    smtp_port, web_port = free_port(), free_port()
    processes.append(
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Sink",
                "-l",
                f"127.0.0.1:{smtp_port}",
            ]
        )
    )
    env = site_env(pg, redis, smtp_port, web_port)
    try:
        print("Building the demo site on a private PostgreSQL …", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input")
        event_id = manage(env, "shell", "--no-imports", "-c", OPEN_EVENT).stdout.strip()
        if not event_id:
            sys.exit("No demo event takes registrations.")
        gunicorn_log = open(folder / "gunicorn.log", "w")  # noqa: SIM115
        web = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "diaspora_site.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=gunicorn_log,
        )
        processes.append(web)
        processes.extend(start_workers(env, folder))
        base = f"http://127.0.0.1:{web_port}"
        wait_until_serving(base)

        restarted = {}
        with Load(base, event_id, args.clients) as load:

            def phase(name, seconds, before=None):
                load.phase = name
                if before:
                    before()
                print(f"  {name} ({seconds} s)", flush=True)
                time.sleep(seconds)

            phase("steady", args.seconds)
            phase("PostgreSQL down", args.down, before=pg.kill)
            pg.start()
            restarted["PostgreSQL"] = time.monotonic()
            phase("after PostgreSQL", args.seconds)
            phase("Redis down", args.down, before=redis.kill)
            redis.start()
            restarted["Redis"] = time.monotonic()
            phase("after Redis", args.seconds)

        time.sleep(1)
        emails = "\n".join(email for email, _kind in load.acknowledged)
        missing = subprocess.run(
            [PYTHON, "manage.py", "shell", "--no-imports", "-c", STORED],
            cwd=ROOT,
            env=env,
            input=emails,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        report(load, missing, restarted)
        print(emails_sent(env))
        tracebacks = (folder / "gunicorn.log").read_text().count("Traceback")
        print(f"Tracebacks in gunicorn's log: {tracebacks}")
    finally:
        for process in reversed(processes):
            stop(process)
        redis.kill()
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.kill()
        if args.keep:
            print(f"Logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def wait_until_serving(base, seconds=60):
    deadline = time.monotonic() + seconds
    probe = Load(base, event_id=None, clients=0)
    while probe.request("/en/") != 200:
        if time.monotonic() > deadline:
            sys.exit("gunicorn did not start: see its log (--keep)")
        time.sleep(0.5)


def report(load, missing, restarted):
    phases = list(dict.fromkeys(phase for phase, _status in load.answers))
    print()
    columns = "{:<18} {:>9} {:>8} {:>6} {:>6} {:>6}"
    print(columns.format("phase", "answered", "2xx/3xx", "503", "500", "other"))
    totals = collections.Counter()
    for name in phases:
        counts = {status: n for (phase, status), n in load.answers.items() if phase == name}
        good = sum(n for status, n in counts.items() if isinstance(status, int) and status < 400)
        row = {
            "answered": sum(n for status, n in counts.items() if isinstance(status, int)),
            "good": good,
            "503": counts.get(503, 0),
            "500": counts.get(500, 0),
        }
        row["other"] = sum(counts.values()) - good - row["503"] - row["500"]
        totals.update(row)
        print(columns.format(name, *row.values()))
    print(columns.format("all", *(totals[key] for key in row)))
    kinds = collections.Counter(kind for _email, kind in load.acknowledged)
    registrations, subscriptions = kinds["registration"], kinds["subscription"]
    print(f"\nAcknowledged writes: {registrations} registrations, {subscriptions} subscriptions")
    print(f"Lost writes (acknowledged, not stored): {len(missing)}")
    for service, moment in restarted.items():
        took = load.first_write_after(moment)
        shown = f"{took:.1f} s" if took is not None else "never"
        print(f"Writes served again after {service} came back: {shown}")


if __name__ == "__main__":
    main()
