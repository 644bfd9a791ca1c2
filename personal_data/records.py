"""Everything stored about one email address: a copy for the person (GDPR article
15, `export`) and its erasure (article 17, `erase`), from the admin ("Settings →
Personal data", personal_data.admin_requests) or `manage.py personal_data`.

Where an address is found (each a "kind" below; matched case-insensitively):

- newsletter subscribers (newsletter.gdpr exports and erases each one: its
  countries, consent record and admin history go with it) and their deliveries,
  which stay, unlinked, without the address, so that each mailing's counts stay
  right;
- event registrations: erasing one that holds a place cancels it first, through
  events.registering.cancel, so that the place goes to the first person waiting
  (who is emailed), then deletes it;
- call applications and form answers (survey, contact): submissions whose answers
  hold the address (`form_data`: the answer to a field of type email, or any
  answer equal to the address, case and surrounding spaces aside);
- event proposals: the organiser's record is deleted; the draft event page stays
  (it holds the event, not the organiser);
- Wagtail admin log entries whose label or data mention the address.

Erasing happens in one transaction and adds the address to the suppression list
(privacy.suppression): only a keyed hash and the date are kept, so that nothing
sent in bulk or by staff reaches the address again and an import of the old list
does not bring it back. The person's own fresh request is still allowed:
subscribing again through the public form and confirming by the emailed link
confirms the subscription and lifts the suppression (see privacy.suppression).

Nothing here writes the address to the logs: actions are logged with a prefix of
its hash.
"""

import json
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import ModelLogEntry, PageLogEntry

from events.models import CallPage, EventProposal, Registration
from events.registering import cancel
from newsletter import gdpr
from newsletter.models import Subscriber
from privacy.suppression import address_digest, normalise, suppress, suppressed_on
from public_forms.models import PublicFormSubmission

logger = logging.getLogger(__name__)

# (key, label) of each kind, in the order the export and the admin show them.
KINDS = [
    ("newsletter_subscribers", _("Newsletter subscriptions")),
    ("newsletter_deliveries", _("Newsletter deliveries")),
    ("event_registrations", _("Event registrations")),
    ("call_applications", _("Applications to calls")),
    ("form_answers", _("Survey and contact form answers")),
    ("event_proposals", _("Event proposals")),
    ("admin_log_entries", _("Admin history entries")),
]
KIND_LABELS = dict(KINDS)

# Form submission models scanned for the address: the site's own, and Wagtail's
# default (unused by the site's forms, checked should a form ever use it).
SUBMISSION_MODELS = (PublicFormSubmission, FormSubmission)
LOG_ENTRY_MODELS = (ModelLogEntry, PageLogEntry)


def pseudonym(email):
    """What the logs say instead of the address."""
    return address_digest(email)[:12]


def _fields(instance, exclude=()):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }


def _text_mentions(field, email):
    """A filter for rows whose text column `field` (annotated) holds `email`. JSON
    columns may hold the address escaped (non-ASCII as \\uXXXX)."""
    escaped = json.dumps(email)[1:-1]
    condition = Q(**{f"{field}__icontains": email})
    if escaped != email:
        condition |= Q(**{f"{field}__icontains": escaped})
    return condition


# --- Finding the rows ------------------------------------------------------------


def _subscribers(email):
    # Addresses are stored lower-cased (Subscriber.save).
    return Subscriber.objects.filter(email=email)


def _registrations(email):
    return Registration.objects.filter(email__iexact=email).select_related("places")


def _proposals(email):
    return EventProposal.objects.filter(email__iexact=email).select_related("page")


def _holds(value, email):
    """Whether an answer is the address: a string equal to it (case and spaces
    aside), or a list or mapping of answers holding one."""
    if isinstance(value, str):
        return normalise(value) == email
    if isinstance(value, (list, tuple)):
        return any(_holds(item, email) for item in value)
    if isinstance(value, dict):
        return any(_holds(item, email) for item in value.values())
    return False


def _submission_holds(submission, email):
    """Whether a submission's answers hold the address: an email field's answer or
    any other answer equal to it (an email field's answer is one of them)."""
    return _holds(submission.form_data, email)


def _submissions(email):
    """[(kind, submission)] for every form submission holding the address."""
    call_type = ContentType.objects.get_for_model(CallPage)
    found = []
    for model in SUBMISSION_MODELS:
        candidates = model.objects.select_related("page", "page__locale").order_by("submit_time")
        if email.isascii() and '"' not in email and "\\" not in email:
            # Narrowed in the database; each candidate is then checked answer by answer.
            candidates = candidates.annotate(_text=Cast("form_data", TextField())).filter(
                _text__icontains=email
            )
        for submission in candidates.iterator():
            if _submission_holds(submission, email):
                kind = (
                    "call_applications"
                    if submission.page.content_type_id == call_type.pk
                    else "form_answers"
                )
                found.append((kind, submission))
    return found


def _log_entries(email):
    """Admin log entries whose label or data mention the address."""
    found = []
    for model in LOG_ENTRY_MODELS:
        found.extend(
            model.objects.annotate(_text=Cast("data", TextField()))
            .filter(Q(label__icontains=email) | _text_mentions("_text", email))
            .order_by("timestamp", "pk")
        )
    return found


# --- Export ----------------------------------------------------------------------


def _registration_row(registration):
    return {"event": registration.places.title, **_fields(registration)}


def _submission_row(submission):
    page = submission.page
    return {
        "id": submission.pk,
        "page_id": page.pk,
        "page_title": page.title,
        "language": page.locale.language_code,
        "submit_time": submission.submit_time,
        "answers": submission.form_data,
        **{
            name: getattr(submission, name)
            for name in ("consent_text", "consent_version", "consent_given_at")
            if hasattr(submission, name)
        },
    }


def _proposal_row(proposal):
    return {"page_title": proposal.page.title, **_fields(proposal)}


def _log_row(entry):
    return {
        "id": entry.pk,
        "action": entry.action,
        "label": entry.label,
        "timestamp": entry.timestamp,
        "data": entry.data,
    }


def export(email):
    """Everything stored about `email`, JSON-ready (dates as datetimes: serialise
    with DjangoJSONEncoder): one list of rows per kind (see KINDS)."""
    email = normalise(email)
    data = {
        "exported_at": timezone.now(),
        "email": email,
        "suppressed_on": suppressed_on(email),
        **{key: [] for key, _label in KINDS},
    }
    for subscriber in _subscribers(email):
        row = gdpr.subscriber_data(subscriber)
        row.pop("exported_at")
        deliveries = row.pop("deliveries")
        data["newsletter_subscribers"].append(row)
        data["newsletter_deliveries"].extend(
            {"subscriber_id": subscriber.pk, **delivery} for delivery in deliveries
        )
    data["event_registrations"] = [_registration_row(r) for r in _registrations(email)]
    for kind, submission in _submissions(email):
        data[kind].append(_submission_row(submission))
    data["event_proposals"] = [_proposal_row(p) for p in _proposals(email)]
    data["admin_log_entries"] = [_log_row(entry) for entry in _log_entries(email)]
    return data


def counts(data):
    """{kind: number of rows} of an export."""
    return {key: len(data[key]) for key, _label in KINDS}


# --- Erasure ---------------------------------------------------------------------


def erase(email, *, user=None):
    """Erase everything stored about `email`, in one transaction, and suppress the
    address. Returns {kind: rows erased}; deliveries are counted as kept, unlinked,
    and `promoted` counts the people waiting who got a freed place (they are
    emailed once the transaction commits)."""
    email = normalise(email)
    result = dict.fromkeys((key for key, _label in KINDS), 0)
    result["promoted"] = 0
    with transaction.atomic():
        for subscriber in _subscribers(email):
            result["newsletter_deliveries"] += gdpr.erase(subscriber, user=user)
            result["newsletter_subscribers"] += 1

        for registration in _registrations(email):
            # Through the waiting list's own lock: a place held goes to the next person.
            _cancelled, promoted = cancel(registration.pk)
            result["promoted"] += promoted is not None
            Registration.objects.filter(pk=registration.pk).delete()
            result["event_registrations"] += 1

        for kind, submission in _submissions(email):
            submission.delete()
            result[kind] += 1

        for proposal in _proposals(email):
            proposal.delete()  # the draft page stays
            result["event_proposals"] += 1

        for entry in _log_entries(email):
            entry.delete()
            result["admin_log_entries"] += 1

        suppress(email)
    logger.info(
        "Personal data of address %s erased by user %s: %s",
        pseudonym(email),
        getattr(user, "pk", None),
        ", ".join(f"{key} {value}" for key, value in result.items()),
    )
    return result
