"""The server error page: 503 when the database is away, 500 otherwise.

A database restart or failover (PostgreSQL) or a lock held too long (SQLite) is
not a bug and passes by itself: the visitor gets "try again in a minute" with
Retry-After, and monitors see a 503, not a 500. The page needs no database.
"""

import sys

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
