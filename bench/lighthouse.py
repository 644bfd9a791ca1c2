"""Lighthouse (mobile: its default form factor and simulated throttling) on every
page type in every language, against the site served as in production:

    make bench-lighthouse
    .venv/bin/python bench/lighthouse.py [--pages home,event] [--languages en,fr] [--runs 3]

It installs Lighthouse itself (bench/lighthouse/package-lock.json, `npm ci` into a
git-ignored node_modules), drives Debian's Chromium (CHROME_PATH, /usr/bin/chromium
by default), and prints Node's, Chromium's and Lighthouse's versions. The site: a
throwaway demo SQLite database and media folder, production settings
(diaspora_site.settings.production: DEBUG off, whitenoise with the files that
collectstatic compressed, Redis in a database of its own, LIGHTHOUSE_REDIS_URL,
emptied first), gunicorn with gunicorn.conf.py, and in front of it the proxy of
bench/https_proxy.py (X-Forwarded-Proto: https, gzip for HTML, media). Each page is
fetched once before it is measured, as a visitor before would have: the page cache
and the image renditions are warm.

It prints, per page and language, the median of the runs' scores (performance,
accessibility, best practices, SEO), then the audits that failed on any page below
target, and exits 1 when any median is below: performance 95, the others 100. The
reports stay in var/lighthouse/ (open one at https://googlechrome.github.io/lighthouse/viewer/).
Not in CI: a full run (18 page types × 3 languages × 3 runs) takes tens of minutes.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "var" / "lighthouse"
LANGUAGES = ("en", "fr", "nl")
CATEGORIES = {  # Lighthouse's id: (column, lowest accepted score)
    "performance": ("perf", 95),
    "accessibility": ("a11y", 100),
    "best-practices": ("best pr.", 100),
    "seo": ("SEO", 100),
}

# Audits left out on purpose, per page type, with the reason printed under the table.
SKIPPED = {
    "search": {
        "is-crawlable": "results pages carry noindex on purpose (search engines' advice: "
        "keep internal search results out of their index)",
    },
}

sys.path.insert(0, str(ROOT / "bench"))
from demo_pages import PAGES  # noqa: E402

# --- Scores, table and thresholds (tests/test_bench_lighthouse.py) ---------------


def scores(report):
    """{category: score out of 100} of one Lighthouse JSON report (None: not scored)."""
    found = {}
    for category in CATEGORIES:
        score = report["categories"].get(category, {}).get("score")
        found[category] = None if score is None else round(score * 100)
    return found


def medians(runs):
    """Per category, the median of the runs' scores (a run without one counts as 0)."""
    return {
        category: round(statistics.median(run[category] or 0 for run in runs))
        for category in CATEGORIES
    }


def below_target(median):
    """The categories of a page's medians under their target."""
    return [category for category, (_, low) in CATEGORIES.items() if median[category] < low]


def failing_audits(report):
    """{category: ["id: title (value)"]} of the scored audits that did not pass (for
    performance: the metrics and opportunities under 0.9)."""
    failing = {}
    for category in CATEGORIES:
        for ref in report["categories"].get(category, {}).get("auditRefs", []):
            audit = report["audits"].get(ref["id"], {})
            score, mode = audit.get("score"), audit.get("scoreDisplayMode")
            if score is None or mode in ("notApplicable", "informative", "manual"):
                continue
            if score < (0.9 if category == "performance" else 1):
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                failing.setdefault(category, []).append(f"{ref['id']}: {audit['title']}{value}")
    return failing


def table(rows):
    """The table of medians: rows are (page, language, {category: score})."""
    width = max([len("page")] + [len(page) for page, _, _ in rows])
    columns = [column for column, _ in CATEGORIES.values()]
    lines = [
        f"| {'page':<{width}} | lang | " + " | ".join(columns) + " |",
        f"|{'-' * (width + 2)}|------|" + "|".join("-" * (len(c) + 2) for c in columns) + "|",
    ]
    for page, language, median in rows:
        cells = []
        for category, (column, low) in CATEGORIES.items():
            mark = "*" if median[category] < low else ""
            cells.append(f"{str(median[category]) + mark:>{len(column)}}")
        lines.append(f"| {page:<{width}} | {language:<4} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- Lighthouse and the site ------------------------------------------------------


def install():
    if not LIGHTHOUSE.exists():
        print("Installing Lighthouse (npm ci) …", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def versions(chrome):
    def first_line(*command):
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return out.strip().splitlines()[0]

    return {
        "Node": first_line("node", "--version"),
        "Chromium": first_line(chrome, "--version").removeprefix("Chromium "),
        "Lighthouse": first_line(str(LIGHTHOUSE), "--version"),
    }


class Site:
    """The demo site under production settings: gunicorn behind the proxy."""

    def __init__(self, folder, redis_url):
        from services import free_port

        self.folder = folder
        self.port, self.gunicorn_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "diaspora_site.settings.production",
            "SECRET_KEY": "lighthouse-bench-only-key-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(folder / "media"),
            "WAGTAILADMIN_BASE_URL": self.base,
            "DEFAULT_FROM_EMAIL": "bench@example.org",
            "TRUSTED_PROXY_COUNT": "1",
            "GUNICORN_BIND": f"127.0.0.1:{self.gunicorn_port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_LOG_LEVEL": "warning",
        }
        self.gunicorn = self.proxy = None

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def build(self):
        import redis

        print("Building the demo site (migrate, load_demo, collectstatic) …", flush=True)
        redis.Redis.from_url(self.env["REDIS_URL"]).flushdb()
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_demo", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        # Absolute links (canonical, og:url, hreflang) name the address Lighthouse visits.
        self.manage(
            "shell",
            "-v0",
            "-c",
            "from wagtail.models import Site; "
            f"Site.objects.update(hostname='127.0.0.1', port={self.port})",
        )

    def start(self):
        import https_proxy

        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "diaspora_site.wsgi"], cwd=ROOT, env=self.env
        )
        self.proxy = https_proxy.start(self.port, self.gunicorn_port, self.folder / "media")
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{self.base}/healthz") as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer on /healthz")

    def warm(self, url):
        """Fetch the page and its images once (renditions made, page cache filled)."""
        from html.parser import HTMLParser

        class Images(HTMLParser):
            found = set()

            def handle_starttag(self, tag, attrs):
                for name, value in attrs:
                    if name == "src" and value:
                        self.found.add(value)
                    elif name == "srcset" and value:
                        self.found.update(part.split()[0] for part in value.split(","))

        request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
        with urllib.request.urlopen(request) as answer:
            parser = Images()
            parser.feed(answer.read().decode())
        for src in parser.found:
            if src.startswith("/"):
                urllib.request.urlopen(self.base + src).read()

    def stop(self):
        if self.proxy:
            self.proxy.shutdown()
        if self.gunicorn:
            from services import stop

            stop(self.gunicorn)


def lighthouse(url, chrome, output, skip=()):
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    if skip:
        command.append("--skip-audits=" + ",".join(skip))
    env = {**os.environ, "CHROME_PATH": chrome}
    # Lighthouse now and then fails to record a trace on a busy machine (NO_NAVSTART):
    # such a run is tried again, twice at most.
    for _attempt in range(3):
        try:
            subprocess.run(command, env=env, check=True, timeout=300)
            report = json.loads(output.read_text())
        except (subprocess.SubprocessError, OSError, ValueError) as error:
            print(f"Lighthouse failed on {url} ({error.__class__.__name__})", flush=True)
            continue
        if not report.get("runtimeError"):
            return report
        print(f"Lighthouse failed on {url}: {report['runtimeError'].get('code')}", flush=True)
    raise SystemExit(f"Lighthouse failed 3 times on {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="comma-separated names of bench/demo_pages.py (all)")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    pages = options.pages.split(",") if options.pages else list(PAGES)
    if unknown := [page for page in pages if page not in PAGES]:
        parser.error(f"unknown pages {unknown}; they are: {', '.join(PAGES)}")
    languages = options.languages.split(",")
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    redis_url = os.environ.get("LIGHTHOUSE_REDIS_URL", "redis://127.0.0.1:6379/13")

    install()
    found = versions(chrome)
    print(", ".join(f"{name} {version}" for name, version in found.items()), flush=True)
    started = time.monotonic()
    reports = REPORTS / time.strftime("%Y%m%d-%H%M%S")
    reports.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    site = Site(folder, redis_url)
    results = {}
    try:
        site.build()
        site.start()
        sys.path.insert(0, str(ROOT))
        os.environ.update({k: v for k, v in site.env.items() if k != "GUNICORN_BIND"})
        import django

        django.setup()
        from demo_pages import address

        urls = {
            (p, lang): site.base + address(PAGES[p][0], lang) for p in pages for lang in languages
        }
        for url in urls.values():
            site.warm(url)
        for run in range(options.runs):
            for (page, language), url in urls.items():
                slug = "".join(c if c.isalnum() else "-" for c in page).strip("-")
                name = f"{slug}-{language}-{run + 1}.json"
                report = lighthouse(url, chrome, reports / name, SKIPPED.get(page, {}))
                results.setdefault((page, language), []).append(report)
                print(f"run {run + 1}: {page} ({language}) {scores(report)}", flush=True)
    finally:
        site.stop()
        shutil.rmtree(folder, ignore_errors=True)

    rows, below = [], []
    for (page, language), runs in results.items():
        median = medians([scores(report) for report in runs])
        rows.append((page, language, median))
        if low := below_target(median):
            below.append((page, language, low, runs))
    print()
    print(", ".join(f"{name} {version}" for name, version in found.items()))
    print(f"Median of {options.runs} run(s), mobile; * below target (perf 95, others 100)")
    print(table(rows))
    for page, audits in SKIPPED.items():
        if page in pages:
            for audit, why in audits.items():
                print(f"{page}: {audit} not run: {why}")
    for page, language, low, runs in below:
        print(f"\n{page} ({language}) below target in {', '.join(low)}:")
        for category in low:
            seen = {}
            for report in runs:
                for line in failing_audits(report).get(category, []):
                    seen.setdefault(line.split(":")[0], line)
            for line in seen.values():
                print(f"  [{category}] {line}")
    errored = sorted(
        {
            name
            for runs in results.values()
            for report in runs
            for name, audit in report["audits"].items()
            if audit.get("scoreDisplayMode") == "error"
        }
    )
    if errored:
        # Diagnostics only (no weight in the scores), e.g. those that read the trace's
        # frames, which a Chromium newer than this Lighthouse records differently.
        print(f"\nAudits Lighthouse could not run on some page: {', '.join(errored)}")
    minutes = (time.monotonic() - started) / 60
    print(
        f"\n{len(rows)} page(s) × {options.runs} run(s) in {minutes:.1f} min; reports in {reports}"
    )
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
