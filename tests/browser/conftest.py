"""The browser suite: the demo site served by a process of its own, driven by Chromium.

The site runs in a subprocess (server.py) on a throwaway SQLite file and media
folder, so nothing here touches the test database of the rest of the suite. One
server and one browser per session (per xdist worker: the tests are marked
`xdist_group("browser")` and `make test` runs `--dist loadgroup`, so one worker
runs them all); each test gets a fresh browser context.

Needs Debian's Chromium at /usr/bin/chromium (Playwright's own browser download does
not work on these machines); without it every test here is skipped.
"""

import email
import email.policy
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The tests record where the browser sends requests; this makes sure none that goes
# elsewhere than 127.0.0.1 (a video host, after a click) reaches the network.
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
START_TIMEOUT = 600  # seconds to migrate, load the demo and answer (about 60 on an idle machine)
SKIP_REASON = (
    "browser tests need Chromium at /usr/bin/chromium: "
    "apt-get install chromium to run the browser tests"
)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoSite:
    """The demo site in its own process, and the emails it has written."""

    def __init__(self, tmp):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mail_dir = tmp / "mail"
        self.log_path = tmp / "server.log"
        self.admin_walk_path = tmp / "admin-walk.json"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.browser.settings",
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "BROWSER_MEDIA_ROOT": str(tmp / "media"),
            "BROWSER_MAIL_DIR": str(self.mail_dir),
            "BROWSER_BASE_URL": self.url,
            "BROWSER_ADMIN_WALK_FILE": str(self.admin_walk_path),
            # Kept: a PYTHONPATH entry may hold this checkout's `diaspora_site` (a
            # virtualenv shared by several checkouts maps it to one of them).
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
        }
        self.process = None
        self.addresses = {}

    def address(self, path, language):
        """Where the demo page at /en/<path> is in `language`, as a path.

        French and Dutch pages have slugs of their own (/fr/temoignages/…): the English
        page's hreflang alternates say where. A view (search/, newsletter/subscribe/)
        or an address no page answers keeps its path under each language prefix.
        """
        if language == "en":
            return f"/en/{path}"
        if (path, language) not in self.addresses:
            try:
                with urllib.request.urlopen(f"{self.url}/en/{path}") as response:  # noqa: S310
                    html = response.read().decode()
            except urllib.error.HTTPError:
                html = ""
            alternate = BeautifulSoup(html, "html.parser").select_one(
                f'link[rel="alternate"][hreflang="{language}"]'
            )
            found = urlsplit(alternate["href"]).path if alternate else f"/{language}/{path}"
            self.addresses[path, language] = found
        return self.addresses[path, language]

    def start(self):
        log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, str(HERE / "server.py"), str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.process.log = log
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the demo site did not start:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/en/", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"the demo site did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.log.close()

    def log(self):
        return self.log_path.read_text(errors="replace")[-5000:]

    def emails(self):
        """Every email the site has sent, oldest first, as email.message objects."""
        if not self.mail_dir.exists():
            return []
        messages = []
        for path in sorted(self.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime):
            # The file backend writes each message followed by a line of dashes.
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages

    def emails_to(self, address):
        return [m for m in self.emails() if address in m.get("To", "")]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    demo = DemoSite(tmp_path_factory.mktemp("browser-site"))
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *OFFLINE]
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, site):
    """A fresh browser context: no cookies, nothing cached."""
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def page(context, request, tmp_path):
    """A page; if the test fails, a screenshot of it is kept and its path printed."""
    page = context.new_page()
    yield page
    if getattr(request.node, "browser_test_failed", False):
        path = tmp_path / "failure.png"
        page.screenshot(path=path, full_page=True)
        print(f"screenshot of the page when the test failed: {path} ({page.url})")
