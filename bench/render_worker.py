"""Render pages on request, for bench/baseline.py: reads one URL per line, renders it
uncached with Django's test client and answers one JSON line: CPU and wall ms, the
queries, the status, the body's bytes and the SHA-256 of its normalised text (which is
also written once per URL to BENCH_BODIES/<n>.html, for a diff). It imports nothing
of the project but the page cache's generation, so any release of the site can run it.

"Uncached" is the first render after a content change: before each request the
page cache's generation moves on, which makes every entry keyed by it a miss (stored
pages, the site chrome, any fragment); the process is otherwise warm (templates
compiled, renditions made, Wagtail's own caches full).
"""

import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import django

# What differs between two renders of the same page by design: the CSRF token of a
# form and the nonce of the CSP.
VARYING = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'), rb"\1-"),
    (re.compile(rb'(nonce=")[^"]+'), rb"\1-"),
]


# What a later release adds to a page on purpose, left out of the comparison (not of
# the bytes, nor of the time): the discussion under stories, projects, calls and issues.
ADDED = [
    (re.compile(rb'<section class="discussion[^"]*" id="discussion".*?</section>', re.S), b""),
]


def normalised(body):
    for pattern, replacement in VARYING + ADDED:
        body = pattern.sub(replacement, body)
    return body


def emptying():
    """A function that empties every cache keyed by the generation."""
    try:
        from pagecache.generation import invalidate
    except ImportError:  # a release from before the generation: empty everything
        from django.core.cache import cache

        return cache.clear
    return invalidate


def main():
    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    empty = emptying()
    bodies = Path(os.environ["BENCH_BODIES"])
    # A release whose French and Dutch pages have slugs of their own answers the
    # English-slug address with a redirect: its own page is timed, found on first ask.
    own_address, saved = {}, {}
    for line in sys.stdin:
        url = line.strip()
        if url not in own_address:
            chain = client.get(url, follow=True).redirect_chain
            own_address[url] = chain[-1][0] if chain else url
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        empty()
        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(count):
            response = client.get(own_address[url])
        cpu, wall = (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000
        body = normalised(response.content)
        if url not in saved:
            saved[url] = bodies / f"{len(saved)}.html"
            saved[url].write_bytes(body)
        answer = {
            "cpu": cpu,
            "wall": wall,
            "queries": len(queries),
            "status": response.status_code,
            "bytes": len(response.content),
            "digest": hashlib.sha256(body).hexdigest(),
            "file": str(saved[url]),
        }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
