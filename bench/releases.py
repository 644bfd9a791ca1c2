"""This release against an earlier one, page by page: is any page slower?

    .venv/bin/python bench/releases.py [--base COMMIT] [--runs N] [--pages "search,…"]

The earlier release (by default the one before the apps were reorganised) builds
the demo site in a temporary SQLite database; a copy is migrated by this release.
Each release then runs in a process of its own (bench/render_worker.py, Django's test
client, DEBUG off, no page cache), and the two render every demo page in turns, one
request each, so that the machine's other work weighs on both alike. It prints, per
page and language, the queries and the median CPU time of each, and their ratio
(this release ÷ the earlier one).
"""

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from demo_pages import PAGES  # noqa: E402 (bench/ is on the path when run)


def ask(worker, url):
    worker.stdin.write(url + "\n")
    worker.stdin.flush()
    cpu, _wall, queries, status = worker.stdout.readline().split()
    if status != "200":
        raise SystemExit(f"{url} answered {status}")
    return float(cpu), int(queries)


def main():
    sys.path.insert(0, str(ROOT))
    from tests.upgrade.releases import BASE_COMMIT, Release, extract, is_available

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BASE_COMMIT, help="the earlier release's commit")
    parser.add_argument("--runs", type=int, default=30, help="renders per page and release")
    parser.add_argument("--languages", default="en,fr")
    parser.add_argument(
        "--pages",
        default="",
        help="only these pages, comma-separated: names in bench/demo_pages.py or paths "
        "below /<language>/ (search/?q=rwanda)",
    )
    args = parser.parse_args()
    if not is_available(args.base):
        return f"{args.base} is not in this clone's history"

    with tempfile.TemporaryDirectory(prefix="bench-releases-") as tmp:
        tmp = Path(tmp)
        (tmp / "old").mkdir()
        (tmp / "new").mkdir()
        code = extract(args.base, tmp / "code")
        old = Release(code, tmp / "old", f"sqlite:///{tmp / 'old.sqlite3'}", extracted=True)
        print(f"Building the demo with {args.base[:10]} …", flush=True)
        old.run("manage.py", "migrate", "--no-input", "-v0")
        old.run("manage.py", "load_demo", "-v0")
        shutil.copyfile(tmp / "old.sqlite3", tmp / "new.sqlite3")
        shutil.copytree(tmp / "old" / "media", tmp / "new" / "media", dirs_exist_ok=True)
        new = Release(ROOT, tmp / "new", f"sqlite:///{tmp / 'new.sqlite3'}")
        new.run("manage.py", "migrate", "--no-input", "-v0")

        worker = ROOT / "bench" / "render_worker.py"
        workers = {"old": old.start(worker), "new": new.start(worker)}
        try:
            print(
                f"\nEach page rendered {args.runs} times by each release in turns, uncached; "
                "CPU ms, medians; ratio = this release ÷ the earlier one"
            )
            print(f"{'page':<24} {'queries':>10} {'earlier':>9} {'this':>9} {'ratio':>6}")
            ratios = []
            pages = {name: path for name, (path, _kind) in PAGES.items()}
            if args.pages:
                pages = {name: pages.get(name, name) for name in args.pages.split(",") if name}
            for name, path in pages.items():
                for language in args.languages.split(","):
                    url = f"/{language}/{path}"
                    for worker_process in workers.values():
                        ask(worker_process, url)  # warm each release's caches
                    times = {"old": [], "new": []}
                    queries = {}
                    for _ in range(args.runs):
                        for side, worker_process in workers.items():
                            cpu, queries[side] = ask(worker_process, url)
                            times[side].append(cpu)
                    old_ms, new_ms = (statistics.median(times[side]) for side in ("old", "new"))
                    ratios.append(new_ms / old_ms)
                    print(
                        f"{name + ' ' + language:<24} {queries['old']:>4} → {queries['new']:<3} "
                        f"{old_ms:>9.1f} {new_ms:>9.1f} {new_ms / old_ms:>6.2f}",
                        flush=True,
                    )
            print(
                f"\nRatio: median {statistics.median(ratios):.2f}, "
                f"lowest {min(ratios):.2f}, highest {max(ratios):.2f}"
            )
        finally:
            for worker_process in workers.values():
                worker_process.stdin.close()
                worker_process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
