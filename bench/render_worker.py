"""Render pages on request, for bench/releases.py: reads one URL per line, renders it
with Django's test client, answers "<CPU ms> <wall ms> <queries> <status>". It
imports nothing of the project, so any release of the site can run it."""

import sys
import time

import django


def main():
    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    # A release whose French and Dutch pages have slugs of their own answers the
    # English-slug address with a redirect: its own page is timed, found on first ask.
    own_address = {}
    for line in sys.stdin:
        url = line.strip()
        if url not in own_address:
            chain = client.get(url, follow=True).redirect_chain
            own_address[url] = chain[-1][0] if chain else url
        url = own_address[url]
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(count):
            response = client.get(url)
        cpu, wall = (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000
        print(f"{cpu:.3f} {wall:.3f} {len(queries)} {response.status_code}", flush=True)


if __name__ == "__main__":
    main()
