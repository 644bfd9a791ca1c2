"""Wagtail's admin log entries whose label or data mention the address."""

import json

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry

KINDS = [("admin_log_entries", _("Admin history entries"))]
LOG_ENTRY_MODELS = (ModelLogEntry, PageLogEntry)


def _mentions(field, email):
    """A filter for rows whose text column `field` (annotated) holds `email`. JSON
    columns may hold the address escaped (non-ASCII as \\uXXXX)."""
    escaped = json.dumps(email)[1:-1]
    condition = Q(**{f"{field}__icontains": email})
    if escaped != email:
        condition |= Q(**{f"{field}__icontains": escaped})
    return condition


def _entries(email):
    found = []
    for model in LOG_ENTRY_MODELS:
        found.extend(
            model.objects.annotate(_text=Cast("data", TextField()))
            .filter(Q(label__icontains=email) | _mentions("_text", email))
            .order_by("timestamp", "pk")
        )
    return found


def export(email):
    return {
        "admin_log_entries": [
            {
                "id": entry.pk,
                "action": entry.action,
                "label": entry.label,
                "timestamp": entry.timestamp,
                "data": entry.data,
            }
            for entry in _entries(email)
        ]
    }


def erase(email, user):
    entries = _entries(email)
    for entry in entries:
        entry.delete()
    return {"admin_log_entries": len(entries)}
