"""A subscriber's rights over their data: a copy of everything stored about them
(access, portability) and erasure.

Erasing deletes the Subscriber row (its countries and any subscription request
waiting for confirmation go with it). Their Delivery rows
stay, unlinked (subscriber NULL, SET_NULL on the foreign key), with language and
status but no address, so that each mailing's counts remain right. Wagtail's admin
log entries about the subscriber are deleted too: entries written before the
subscriber's label stopped showing the address hold it in their `label`. This
happens on every deletion (the admin's erase view, bulk delete, purge_subscribers),
through a `post_delete` receiver connected in apps.py.

An erased address goes on the suppression list (privacy.suppression: a hash, not
the address), so that nothing is sent to it in bulk again and an import of the
old list does not bring it back. Everything else stored about the address
(registrations, form answers…) is erased by personal_data.records.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsletter.models import Delivery, Subscriber, SubscriptionRequest
from newsletter.subscriptions import CONSENT_TEXTS
from privacy.exports import model_fields
from privacy.suppression import suppress

logger = logging.getLogger(__name__)


def _log_entries(pk):
    content_type = ContentType.objects.get_for_model(Subscriber, for_concrete_model=False)
    return ModelLogEntry.objects.filter(content_type=content_type, object_id=str(pk))


def subscriber_data(subscriber):
    """Everything stored about one subscriber, as a JSON-ready dictionary (dates
    as datetimes: serialise with DjangoJSONEncoder)."""
    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("mailing", "mailing__issue")
        .order_by("mailing__created_at", "pk")
    )
    consent_text = CONSENT_TEXTS.get(subscriber.consent_text_version)
    consent_text = str(consent_text) if consent_text is not None else None
    return {
        "exported_at": timezone.now(),
        "subscriber": model_fields(subscriber),
        "countries_of_interest": [
            {"id": page.pk, "title": page.title} for page in subscriber.countries.order_by("title")
        ],
        "consent": {
            "text_version": subscriber.consent_text_version,
            "text": consent_text,
            "given_at": subscriber.consent_given_at,
            "source": subscriber.consent_source,
        },
        # A request from the form waiting for its confirmation (gone with the row).
        "subscription_request": _request_data(subscriber),
        "deliveries": [
            {
                "mailing_id": delivery.mailing_id,
                "issue_number": delivery.mailing.issue.number if delivery.mailing.issue else None,
                "issue_title": delivery.mailing.issue.title if delivery.mailing.issue else None,
                "subject": delivery.mailing.subject,
                **model_fields(delivery, exclude=("id", "mailing_id", "subscriber_id")),
            }
            for delivery in deliveries
        ],
        # What staff did in the admin about this subscriber (not who: that is the
        # staff's own data).
        "admin_history": [
            {"action": entry.action, "timestamp": entry.timestamp}
            for entry in _log_entries(subscriber.pk).order_by("timestamp", "pk")
        ],
    }


def _request_data(subscriber):
    request = SubscriptionRequest.objects.filter(subscriber=subscriber).first()
    if request is None:
        return None
    return model_fields(request, exclude=("id", "subscriber_id", "token_digest"))


def erase(subscriber, *, user=None):
    """Delete the subscriber and every trace of their address; keep their
    deliveries, unlinked; suppress the address. Returns the number of deliveries
    kept."""
    pk = subscriber.pk
    with transaction.atomic():
        kept = Delivery.objects.filter(subscriber_id=pk).count()
        subscriber.delete()
        suppress(subscriber.email)
    # The id only: the address is gone, and must not reappear in the server logs.
    logger.info("Subscriber %s erased by user %s", pk, getattr(user, "pk", None))
    return kept


def forget_log_entries(sender, instance, **kwargs):
    """post_delete receiver: remove the admin log entries of a deleted subscriber."""
    _log_entries(instance.pk).delete()
