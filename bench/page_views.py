"""What counting page views costs a cached page (pagecache/views_count.py).

In one process, the WSGI early answer (CachedPagesApp, as production serves hits)
answers the same cached issue page in blocks of BLOCK requests, alternately with
counting on and off (PAGE_VIEWS_COUNTED), ROUNDS times; prints the median time per
request of each and their ratio (on ÷ off). Redis when one answers on 127.0.0.1
(database 15), else LocMem. Run: `.venv/bin/python bench/page_views.py`.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from pages import setup_django  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
BLOCK = int(os.environ.get("BENCH_BLOCK", "2000"))
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def main():
    setup_django()
    from django.conf import settings
    from django.test import Client

    from newsletter.models import NewsletterIssuePage
    from pagecache import views_count
    from pagecache.middleware import HIT_HEADER, CachedPagesApp

    url = NewsletterIssuePage.objects.filter(locale__language_code="fr").first().url
    if Client().get(url, HTTP_USER_AGENT=BROWSER).status_code != 200:
        sys.exit(f"{url} does not answer 200")
    if Client().get(url)[HIT_HEADER] != "hit":
        sys.exit(f"{url} is not cached")
    app = CachedPagesApp(lambda environ, start: sys.exit("not answered from the cache"))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": BROWSER,
        "HTTP_ACCEPT": "text/html",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }

    def block():
        start = time.perf_counter()
        for _ in range(BLOCK):
            app(environ, lambda status, headers: None)
        return (time.perf_counter() - start) / BLOCK * 1e6

    times = {True: [], False: []}
    for _round in range(ROUNDS):
        for counted in (True, False) if _round % 2 else (False, True):
            settings.PAGE_VIEWS_COUNTED = counted
            times[counted].append(block())
    views_count.push()
    on, off = statistics.median(times[True]), statistics.median(times[False])
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"Cached issue page through the WSGI early answer ({cache}, {ROUNDS} rounds of {BLOCK})")
    print(f"  counting off: {off:7.1f} µs/request (median)")
    print(f"  counting on:  {on:7.1f} µs/request (median)")
    ratios = sorted(a / b for a, b in zip(times[True], times[False], strict=True))
    print(
        f"  ratio on/off: {on / off:.3f} (per round: {ratios[0]:.3f}–{ratios[-1]:.3f}, "
        f"median {statistics.median(ratios):.3f})"
    )


if __name__ == "__main__":
    main()
