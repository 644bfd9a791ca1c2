"""The ceiling for `make bench`: a WSGI app that does nothing but return, for each
path, the very bytes and headers the site answered (captured by bench/pages.py into
the JSON file named by BENCH_RESPONSES). Served by gunicorn with the same settings
as the site, it measures what gunicorn itself costs."""

import base64
import json
import os

with open(os.environ["BENCH_RESPONSES"], encoding="utf-8") as file:
    RESPONSES = {
        path: (status, [tuple(header) for header in headers], base64.b64decode(body))
        for path, (status, headers, body) in json.load(file).items()
    }
NOT_FOUND = ("404 Not Found", [("Content-Type", "text/plain")], b"not captured")


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if environ.get("QUERY_STRING"):
        path += "?" + environ["QUERY_STRING"]
    status, headers, body = RESPONSES.get(path, NOT_FOUND)
    start_response(status, headers)
    return [body]
