"""/healthz for the operator's monitor, /healthz/serving for a load balancer
(docs/production.md, "Monitoring"). JSON, never cached, no language prefix."""

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from health import checks


def _answer(report, failing):
    statuses = [check["status"] for check in failing]
    if checks.FAIL in statuses:
        status = checks.FAIL
    elif checks.WARN in statuses:
        status = checks.WARN
    else:
        status = checks.OK
    report = {"status": status, "time": timezone.now().isoformat(), **report}
    return JsonResponse(report, status=503 if status == checks.FAIL else 200)


@never_cache
@require_safe
def healthz(request):
    """Everything, for a monitor: 503 when something needs a person (the database
    or the cache down, a queue whose oldest task waits too long, tasks waiting and
    no worker heard from)."""
    database = checks.database()
    cache = checks.cache_check()
    if database["status"] == checks.OK:
        queues = checks.queues()
    else:
        queues = {
            alias: {"status": checks.FAIL, "error": "no database"}
            for alias in checks.database_backends()
        }
    report = {"database": database, "cache": cache, "queues": queues}
    return _answer(report, [database, cache, *queues.values()])


@never_cache
@require_safe
def serving(request):
    """For a load balancer: 503 only when this server cannot serve pages (its
    database). The cache is reported but not counted: it is shared by every server,
    pages are served uncached without it, and taking every server out of rotation
    for it would turn a slower site into no site."""
    database = checks.database()
    report = {"database": database, "cache": checks.cache_check()}
    return _answer(report, [database])
