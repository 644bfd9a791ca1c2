"""Privacy's own retention: admin history entries about people. Wagtail's log
entries of a model an app names as a person's data (PERSONAL_MODELS in its
retention.py; users here) go RETENTION["admin_log_people"] days after
they were written. Page history is never touched."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from privacy import periods

PERSONAL_MODELS = [settings.AUTH_USER_MODEL]
KINDS = []


def personal_log_entries(now):
    labels = periods.personal_models()
    types = [
        content_type.pk
        for content_type in ContentType.objects.all()
        if f"{content_type.app_label}.{content_type.model}" in labels
    ]
    return ModelLogEntry.objects.filter(
        content_type__in=types, timestamp__lt=periods.cutoff(now, "admin_log_people")
    )


KINDS.append(
    periods.Kind(
        key="admin_log_people",
        label=_("Admin history entries about a person"),
        period=periods.in_days("admin_log_people"),
        start=_("after the change they record"),
        expired=lambda now: {"admin history entry(ies) about people": personal_log_entries(now)},
        order=90,
    )
)


def _backups_period():
    """RETENTION["backups"]: set by the backups' configuration; unset, not stated."""
    days = settings.RETENTION.get("backups")
    return periods.natural(days) if days else None


# The backups' copies of all of the above.
KINDS.append(
    periods.Kind(
        key="backups",
        label=_("Backups of the database and media"),
        period=_backups_period,
        start=_("after they are made"),
        order=100,
    )
)
