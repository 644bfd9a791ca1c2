"""Finished task rows (their arguments can hold an address: an email to send) are
deleted RETENTION["finished_tasks"] days after they finished, failed ones after
RETENTION["failed_tasks"]; prune_tasks does the same per backend with
django-tasks-db's command. Declared as privacy.periods reads them (plain dicts:
health and privacy sit side by side and import nothing from each other)."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


def _cutoff(now, key):
    return now - timedelta(days=settings.RETENTION[key])


def expired_tasks(now):
    return DBTaskResult.objects.successful().filter(finished_at__lt=_cutoff(now, "finished_tasks"))


def expired_failed_tasks(now):
    return DBTaskResult.objects.failed().filter(finished_at__lt=_cutoff(now, "failed_tasks"))


KINDS = [
    {
        "key": "finished_tasks",
        "label": _("Background tasks done (such as an email to send)"),
        "period": lambda: (settings.RETENTION["finished_tasks"], "days"),
        "start": _("after they are done"),
        "expired": lambda now: {"finished task(s)": expired_tasks(now)},
        "order": 80,
    },
    {
        "key": "failed_tasks",
        "label": _("Background tasks that failed"),
        "period": lambda: (settings.RETENTION["failed_tasks"], "days"),
        "start": _("after they failed"),
        "expired": lambda now: {"failed task(s)": expired_failed_tasks(now)},
        "order": 81,
    },
]
