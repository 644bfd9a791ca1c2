"""Everything stored about one email address: a copy for the person (GDPR article
15, `export`) and its erasure (article 17, `erase`), from the admin ("Settings →
Personal data", personal_data.admin_requests) or `manage.py personal_data`.

Where an address is found: each installed app's source (personal_data/sources/),
matched case-insensitively. Erasing happens in one transaction and adds the
address to the suppression list (privacy.suppression): only a keyed hash and the
date are kept, so that nothing sent in bulk or by staff reaches the address again
and an import of the old list does not bring it back. The person's own fresh
request is still allowed: subscribing again and confirming by the emailed link
lifts the suppression. Nothing here writes the address to the logs: actions are
logged with a prefix of its hash.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from personal_data.sources import admin_log, forms
from privacy.suppression import address_digest, normalise, suppress, suppressed_on

logger = logging.getLogger(__name__)

# The sources of the installed apps, in the order they are erased (admin history
# last: erasing writes none).
SOURCES = []
if apps.is_installed("newsletter"):
    from personal_data.sources import newsletter

    SOURCES.append(newsletter)
if apps.is_installed("events"):
    from personal_data.sources import events

    SOURCES.append(events)
if apps.is_installed("discussion"):
    from personal_data.sources import discussion

    SOURCES.append(discussion)
SOURCES += [forms, admin_log]

# (key, label) of each kind, in the order the export and the admin show them.
KINDS = [kind for source in SOURCES for kind in source.KINDS]
KIND_LABELS = dict(KINDS)


def pseudonym(email):
    """What the logs say instead of the address."""
    return address_digest(email)[:12]


def export(email):
    """Everything stored about `email`, JSON-ready (dates as datetimes: serialise
    with DjangoJSONEncoder): one list of rows per kind (see KINDS)."""
    email = normalise(email)
    data = {"exported_at": timezone.now(), "email": email, "suppressed_on": suppressed_on(email)}
    found = {}
    for source in SOURCES:
        found.update(source.export(email))
    data.update((key, found[key]) for key, _label in KINDS)
    return data


def counts(data):
    """{kind: number of rows} of an export."""
    return {key: len(data[key]) for key, _label in KINDS}


def erase(email, *, user=None):
    """Erase everything stored about `email`, in one transaction, and suppress the
    address. Returns {kind: rows erased}; newsletter deliveries are counted as kept,
    unlinked, and `promoted` counts the people waiting who got a freed place (they
    are emailed once the transaction commits)."""
    email = normalise(email)
    result = {"promoted": 0}
    with transaction.atomic():
        for source in SOURCES:
            result.update(source.erase(email, user))
        suppress(email)
    result = {**{key: result[key] for key, _label in KINDS}, "promoted": result["promoted"]}
    logger.info(
        "Personal data of address %s erased by user %s: %s",
        pseudonym(email),
        getattr(user, "pk", None),
        ", ".join(f"{key} {value}" for key, value in result.items()),
    )
    return result
