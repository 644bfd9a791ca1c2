"""The server error page: 503 when the database is away, 500 otherwise.

A database restart or failover (PostgreSQL) or a lock held too long (SQLite) is
not a bug and passes by itself: the visitor gets "try again in a minute" with
Retry-After, and monitors see a 503, not a 500. The page needs no database.
"""

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    error = sys.exc_info()[1]
    database_away = isinstance(error, (OperationalError, InterfaceError))
    template = "503.html" if database_away else "500.html"
    # The failure may have come before LocaleMiddleware: the path says the language.
    language = translation.get_language_from_path(request.path_info) or translation.get_language()
    with translation.override(language):
        body = loader.get_template(template).render()
    response = HttpResponseServerError(body)
    if database_away:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseAwayFilter(logging.Filter):
    """While the database is away every request fails the same way: log (and mail
    ADMINS) once a minute per process, with the count of the others, not per request."""

    interval = 60

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._last = None
        self._since = 0

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, (OperationalError, InterfaceError)):
            return True
        now = time.monotonic()
        with self._lock:
            if self._last is not None and now - self._last < self.interval:
                self._since += 1
                return False
            self._last, since, self._since = now, self._since, 0
        if since:
            record.msg = f"{record.msg} (and {since} more like it in the last minute)"
        return True
