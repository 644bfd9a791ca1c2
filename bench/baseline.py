"""This working tree against an earlier commit, page by page, uncached:

    make bench BASELINE=<commit>
    .venv/bin/python bench/baseline.py --base <commit> [--runs N] [--languages en,fr,nl]

The earlier commit is extracted into a temporary folder. When its pyproject.toml is
the same as ours it runs on this interpreter (with its own code first on the path),
else it gets a virtual environment of its own (its scripts/bootstrap.sh). It builds the
demo site in a temporary SQLite database, and a copy is migrated by this tree: both
serve the same content. Each side then runs in a process of its own
(bench/render_worker.py: DEBUG off, a per-process memory cache, the page cache on but
its generation moved on before every request, so each render is the first after a
content change), and the two render every page type in every language in strict
turns, one request each, the order swapped each round, so that the machine's other
work weighs on both alike.

Per page and language it prints the queries, the median CPU ms of each side, their
ratio (this tree ÷ the baseline), the bytes, and whether the HTML is the same byte
for byte (CSRF tokens and CSP nonces aside). It exits 1 when a ratio is above
--max-ratio (0.5), a page takes more than 15 queries, or any HTML differs.
"""

import argparse
import difflib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_QUERIES = 15

from demo_pages import PAGES  # noqa: E402 (bench/ is on the path when run)

SETTINGS = """\
import os

from diaspora_site.settings.dev import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = os.environ["UPGRADE_MEDIA_ROOT"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 600
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "ERROR"}}  # noqa: F405
"""


def interpreter(commit, code):
    """This interpreter when `commit` pins the same packages as this tree, else a
    virtual environment of its own in `code`."""
    same = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "diff", "--quiet", commit, "--", "pyproject.toml"],  # noqa: S607
        check=False,
    )
    if same.returncode == 0:
        return sys.executable
    print("Its pyproject.toml differs: installing its packages in a virtual environment …")
    subprocess.run([code / "scripts" / "bootstrap.sh"], cwd=code, check=True)  # noqa: S603
    return code / ".venv" / "bin" / "python"


def ask(worker, url):
    worker.stdin.write(url + "\n")
    worker.stdin.flush()
    line = worker.stdout.readline()
    if not line:
        raise SystemExit(f"the render worker stopped at {url} (its error is above)")
    answer = json.loads(line)
    if answer["status"] != 200:
        raise SystemExit(f"{url} answered {answer['status']}")
    return answer


def compare(workers, url, runs):
    """Render `url` `runs` times on each side in turns; the medians and the last answers."""
    times = {side: [] for side in workers}
    order = list(workers)
    last = {side: ask(worker, url) for side, worker in workers.items()}  # warm each side
    for _ in range(runs):
        for side in order:
            last[side] = ask(workers[side], url)
            times[side].append(last[side]["cpu"])
        order.reverse()
    return {side: statistics.median(values) for side, values in times.items()}, last


def show_difference(last):
    old, new = (Path(last[side]["file"]).read_text(errors="replace") for side in ("old", "new"))
    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "baseline", "this tree", n=1, lineterm=""
    )
    for line in list(diff)[:12]:
        print(f"    {line[:150]}")


def build(base, tmp):
    """The two sides, serving the same demo content."""
    from tests.upgrade.releases import Release, extract

    (tmp / "old").mkdir()
    (tmp / "new").mkdir()
    code = extract(base, tmp / "code")
    old = Release(
        code,
        tmp / "old",
        f"sqlite:///{tmp / 'old.sqlite3'}",
        extracted=True,
        settings=SETTINGS,
        python=interpreter(base, code),
    )
    print(f"Building the demo site with {base[:10]} …", flush=True)
    old.run("manage.py", "migrate", "--no-input", "-v0")
    old.run("manage.py", "load_demo", "-v0")
    shutil.copyfile(tmp / "old.sqlite3", tmp / "new.sqlite3")
    shutil.copytree(tmp / "old" / "media", tmp / "new" / "media", dirs_exist_ok=True)
    new = Release(ROOT, tmp / "new", f"sqlite:///{tmp / 'new.sqlite3'}", settings=SETTINGS)
    new.run("manage.py", "migrate", "--no-input", "-v0")
    worker = ROOT / "bench" / "render_worker.py"
    workers = {}
    for side, release in (("old", old), ("new", new)):
        (tmp / f"{side}-bodies").mkdir()
        workers[side] = release.start(worker, env={"BENCH_BODIES": str(tmp / f"{side}-bodies")})
    return workers


def main():
    sys.path.insert(0, str(ROOT))
    from tests.upgrade.releases import is_available

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--runs", type=int, default=20, help="renders per page and side")
    parser.add_argument("--languages", default="en,fr,nl")
    parser.add_argument("--max-ratio", type=float, default=0.5)
    parser.add_argument("--pages", help="only these page types (comma-separated)")
    args = parser.parse_args()
    if not is_available(args.base):
        return f"{args.base} is not in this clone's history"
    pages = args.pages.split(",") if args.pages else list(PAGES)

    failures = []
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        workers = build(args.base, Path(tmp))
        try:
            print(
                f"\nEach page rendered {args.runs} times by each side in turns, uncached "
                f"(the first render after a content change); CPU ms, medians; "
                f"ratio = this tree ÷ {args.base[:10]}"
            )
            print(
                f"{'page':<24} {'queries':>9} {'baseline':>9} {'this':>7} {'ratio':>6} "
                f"{'bytes':>7}  html"
            )
            ratios = []
            for name in pages:
                path, _kind = PAGES[name]
                for language in args.languages.split(","):
                    url = f"/{language}/{path}"
                    medians, last = compare(workers, url, args.runs)
                    ratio = medians["new"] / medians["old"]
                    ratios.append(ratio)
                    same = last["old"]["digest"] == last["new"]["digest"]
                    queries = last["new"]["queries"]
                    label = f"{name} {language}"
                    if ratio > args.max_ratio:
                        failures.append(f"{label}: ratio {ratio:.2f}")
                    if queries > MAX_QUERIES:
                        failures.append(f"{label}: {queries} queries")
                    if not same:
                        failures.append(f"{label}: the HTML differs")
                    print(
                        f"{label:<24} {last['old']['queries']:>4} → {queries:<3} "
                        f"{medians['old']:>9.1f} {medians['new']:>7.1f} {ratio:>6.2f} "
                        f"{last['new']['bytes']:>7}  {'same' if same else 'DIFFERS'}",
                        flush=True,
                    )
                    if not same:
                        show_difference(last)
            print(
                f"\nRatio: median {statistics.median(ratios):.2f}, "
                f"lowest {min(ratios):.2f}, highest {max(ratios):.2f} (target ≤ {args.max_ratio})"
            )
        finally:
            for worker_process in workers.values():
                worker_process.stdin.close()
                worker_process.wait()
    for failure in failures:
        print(f"MISSED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
