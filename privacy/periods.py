"""Every kind of personal data the site keeps, how long, and the purge that deletes
it when its time is up.

Each app that keeps personal data says so in a `retention.py` module of its own
(as personal_data/sources/ has one per app, but found in the app itself): `KINDS`,
one Kind per kind of data (its label, its period, when the period starts, and
`expired(now)` → {label: queryset} of the rows past it; None where nothing is
deleted by date: the kind is still stated), and `PERSONAL_MODELS`, the labels of
its models whose rows are a person's data. `manage.py purge_personal_data` runs every
purge; the privacy page's "Retention periods" block (home.blocks) states every
period. This module knows no app: it reads what the installed ones declare.

Periods of RETENTION (settings, in days) are written in the largest whole unit:
365 days as "1 year", 60 as "2 months", 30 or 45 as "30 days", "45 days".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule
from django.utils.translation import ngettext

DAYS = "days"
MONTHS = "months"
YEARS = "years"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # lazy: what the data is, e.g. "Contact and survey answers"
    # (number, DAYS | MONTHS | YEARS); or a lazy text for a period that is no number
    # ("until you ask for their erasure"); None: not stated (not configured).
    period: Callable
    start: str = ""  # lazy: when the period starts, e.g. "after they were sent"
    expired: Callable | None = None  # now → {label: queryset}
    order: int = 1000


def _modules():
    """The `retention` module of each installed app that has one."""
    return _retention_modules(tuple(config.name for config in apps.get_app_configs()))


@cache
def _retention_modules(names):
    # Looked for once per set of apps: finding them took 4 ms a render.
    return [import_module(f"{name}.retention") for name in names if _has_retention(name)]


def _has_retention(name):
    return module_has_submodule(import_module(name), "retention")


def kinds():
    """The kinds of every installed app (KINDS in its retention.py: Kind objects, or
    dicts of their fields for an app that may not import this one), in order."""
    found = [
        kind if isinstance(kind, Kind) else Kind(**kind)
        for module in _modules()
        for kind in getattr(module, "KINDS", ())
    ]
    return sorted(found, key=lambda kind: (kind.order, kind.key))


def personal_models():
    """The labels ("app.model") of the models whose rows are a person's data
    (PERSONAL_MODELS in each app's retention.py): their admin history entries are
    purged after RETENTION["admin_log_people"] (privacy/retention.py)."""
    return {
        label.lower() for module in _modules() for label in getattr(module, "PERSONAL_MODELS", ())
    }


def days(key):
    """The period of RETENTION[key], in days."""
    return settings.RETENTION[key]


def cutoff(now, key):
    """The moment before which rows of RETENTION[key] have had their time."""
    return now - timedelta(days=days(key))


def in_days(key):
    """A `period` for RETENTION[key]: its days in the largest whole unit."""

    def period():
        return natural(days(key))

    return period


def natural(number_of_days):
    if number_of_days % 365 == 0:
        return number_of_days // 365, YEARS
    if number_of_days % 30 == 0 and number_of_days > 30:
        return number_of_days // 30, MONTHS
    return number_of_days, DAYS


def natural_months(number_of_months):
    if number_of_months % 12 == 0:
        return number_of_months // 12, YEARS
    return number_of_months, MONTHS


def describe(number, unit):
    """ "12 months", "30 jours", "1 jaar": the period in the active language."""
    if unit == YEARS:
        return ngettext("%(count)d year", "%(count)d years", number) % {"count": number}
    if unit == MONTHS:
        return ngettext("%(count)d month", "%(count)d months", number) % {"count": number}
    return ngettext("%(count)d day", "%(count)d days", number) % {"count": number}


def _worded(period):
    if not isinstance(period, tuple):
        return period
    number, unit = period
    return describe(*natural(number)) if unit == DAYS else describe(number, unit)


def stated():
    """[(label, "12 months", start)] of every kind with a period, for the privacy
    page."""
    found = ((kind, kind.period()) for kind in kinds())
    return [
        (kind.label, _worded(period), kind.start) for kind, period in found if period is not None
    ]
