"""`make bench`: how fast each page type is, uncached and cached, in-process and
under load, beside the ceiling of the stack. Prints one table per part.

1. In-process (Django's test client, bench/settings.py, the demo database): for
   each page type in each language, the SQL queries of the second request in a warm
   process, the median and 95th percentile render time uncached (page cache off)
   and cached, and the bytes of the body (raw and gzip -6).
2. Under load: gunicorn with the project's gunicorn.conf.py (2 workers, sync,
   127.0.0.1) serving the cached pages, driven by wrk for BENCH_LOAD_SECONDS (10) a
   URL; then the same load against bench/bare_wsgi.py, a WSGI app returning the
   same bytes and headers under the same gunicorn settings: the ceiling. Each
   worker's memory (RSS) after the load is printed too.

Targets, set against the reference Wagtail demo (bakerydemo, Wagtail 8)
as measured on a machine like this one: at most 15 queries on any page; uncached
median under 50 ms for the home page and indexes (bakerydemo: 60–100 ms, 40–43
queries) and under 20 ms for detail pages (bakerydemo: 35–45 ms, 18–22 queries);
cached requests per second at least half the bare WSGI app's.
"""

import base64
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

# Page type -> (path under /en/, kind); `address` gives it in each language. "index"
# pages list others and get the home page's budget.
from demo_pages import PAGES, address  # noqa: E402 (bench/ is on the path when run)
from services import free_port  # noqa: E402

LANGUAGES = ("en", "fr", "nl")
BUDGET_MS = {"index": 50.0, "detail": 20.0}
MAX_QUERIES = 15
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
LOAD_LANGUAGE = os.environ.get("BENCH_LOAD_LANGUAGE", "en")


def redis_url():
    """REDIS_URL, else the local Redis if one answers (database 15, for the bench)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return ""
    return "redis://127.0.0.1:6379/15"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if url := redis_url():
        os.environ["REDIS_URL"] = url
    import django

    django.setup()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(client, url, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(times), percentile(times, 0.95)


def counting(queries):
    """A database execute wrapper that notes each statement (whatever DEBUG says)."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def in_process():
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    cache.clear()
    client = Client()
    rows, captured = [], {}
    for name, (path, kind) in PAGES.items():
        for language in LANGUAGES:
            url = address(path, language)
            with override_settings(PAGE_CACHE_SECONDS=0):
                client.get(url)  # the first request warms Wagtail's own caches
                queries = []
                with connection.execute_wrapper(counting(queries)):
                    response = client.get(url)
                uncached = timed(client, url, RUNS)
            stored = client.get(url)  # stores it (search results never are)
            cached = timed(client, url, RUNS)
            body = response.content
            rows.append(
                {
                    "page": name,
                    "kind": kind,
                    "lang": language,
                    "queries": len(queries),
                    "uncached": uncached,
                    "cached": cached,
                    "bytes": len(body),
                    "gzip": len(gzip.compress(body, compresslevel=6)),
                    "cacheable": stored.get("X-Page-Cache") is not None,
                }
            )
            if language == LOAD_LANGUAGE and client.get(url).get("X-Page-Cache") == "hit":
                captured[url] = (
                    f"{response.status_code} {response.reason_phrase}",
                    list(response.items()),
                    base64.b64encode(body).decode(),
                )
    return rows, captured


def cached_cells(row):
    if not row["cacheable"]:
        return "never cached"
    median, p95 = row["cached"]
    return f"{median:>14.2f} {p95:>6.2f}"


def print_in_process(rows):
    print(f"\nIn-process, Django test client, {RUNS} runs each (ms)")
    print(
        f"{'page':<18} {'lang':<4} {'queries':>7} {'uncached median':>16} {'p95':>7} "
        f"{'cached median   p95':>21} {'bytes':>8} {'gzip':>7}  target"
    )
    for row in rows:
        u_med, u_p95 = row["uncached"]
        budget = BUDGET_MS[row["kind"]]
        met = row["queries"] <= MAX_QUERIES and u_med < budget
        verdict = "ok" if met else "MISSED"
        print(
            f"{row['page']:<18} {row['lang']:<4} {row['queries']:>7} {u_med:>16.1f} "
            f"{u_p95:>7.1f} {cached_cells(row):>21} {row['bytes']:>8} {row['gzip']:>7}  "
            f"{verdict} (≤{MAX_QUERIES} q, <{budget:.0f} ms)"
        )
    worst = max(rows, key=lambda row: row["queries"])
    print(f"Most queries: {worst['queries']} ({worst['page']}, {worst['lang']}).")


def start_gunicorn(app, env):
    port = free_port()
    env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, our own config
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start for {app}")


def worker_rss_mb(process):
    """Resident memory of each gunicorn worker (children of the arbiter), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{process.pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
    return sizes


def wrk(port, path):
    url = f"http://127.0.0.1:{port}{path}"
    for _ in range(20):  # warm: the first request of each worker stores the page
        subprocess.run(["curl", "-s", "-o", "/dev/null", url], check=False)  # noqa: S603, S607
    output = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", "-c8", f"-d{LOAD_SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, float(p99.group(1)) * scale, int(non_2xx.group(1)) if non_2xx else 0


def under_load(captured):
    if LOAD_SECONDS <= 0:
        print("\nUnder load: skipped (BENCH_LOAD_SECONDS=0).")
        return
    if not shutil.which("wrk"):
        print("\nUnder load: skipped, wrk is not installed (apt-get install wrk).")
        return
    with tempfile.TemporaryDirectory() as folder:
        responses = Path(folder) / "responses.json"
        responses.write_text(json.dumps(captured))
        site_env = {"DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
        bare_env = {"BENCH_RESPONSES": str(responses), "PYTHONPATH": str(ROOT / "bench")}
        # Both servers run at once and each URL is measured on one, then the other,
        # so that whatever else the machine does weighs on both alike.
        servers = {
            "site": start_gunicorn("diaspora_site.wsgi:application", site_env),
            "bare": start_gunicorn("bare_wsgi:application", bare_env),
        }
        results = {}
        try:
            for url in captured:
                for label, (_process, port) in servers.items():
                    results[label, url] = wrk(port, url)
            for label, (process, _port) in servers.items():
                results[label, "rss"] = worker_rss_mb(process)
        finally:
            for process, _port in servers.values():
                process.terminate()
                process.wait(timeout=30)
    print(
        f"\nUnder load: gunicorn (gunicorn.conf.py: 2 sync workers, 127.0.0.1), "
        f"wrk -t2 -c8, {LOAD_SECONDS} s a URL, cached pages"
    )
    print(
        f"{'url':<58} {'site req/s':>10} {'p99 ms':>7} {'bare req/s':>10} {'p99 ms':>7} "
        f"{'ratio':>6}  target"
    )
    ratios = []
    for url in captured:
        site_rps, site_p99, site_errors = results["site", url]
        bare_rps, bare_p99, _ = results["bare", url]
        ratio = site_rps / bare_rps if bare_rps else 0
        ratios.append(ratio)
        verdict = "ok" if ratio >= 0.5 and not site_errors else "MISSED"
        errors = f" ({site_errors} errors)" if site_errors else ""
        print(
            f"{url:<58} {site_rps:>10.0f} {site_p99:>7.1f} {bare_rps:>10.0f} {bare_p99:>7.1f} "
            f"{ratio:>6.2f}  {verdict} (≥0.50){errors}"
        )
    print(f"Median ratio {statistics.median(ratios):.2f}, lowest {min(ratios):.2f}.")
    site_rss = ", ".join(f"{mb:.0f}" for mb in results["site", "rss"])
    bare_rss = ", ".join(f"{mb:.0f}" for mb in results["bare", "rss"])
    print(f"Worker memory after the load (RSS, MB): site {site_rss}; bare {bare_rss}.")


def main():
    setup_django()
    from django.conf import settings

    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"make bench: demo database, DEBUG off, cache {cache_backend}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    rows, captured = in_process()
    print_in_process(rows)
    under_load(captured)


if __name__ == "__main__":
    main()
