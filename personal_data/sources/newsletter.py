"""Newsletter subscribers (newsletter.gdpr exports and erases each one: its
countries, consent record and admin history go with it) and their deliveries,
which stay, unlinked, without the address, so that each mailing's counts stay
right."""

from django.utils.translation import gettext_lazy as _

from newsletter import gdpr
from newsletter.models import Subscriber

KINDS = [
    ("newsletter_subscribers", _("Newsletter subscriptions")),
    ("newsletter_deliveries", _("Newsletter deliveries")),
]


def _subscribers(email):
    # Addresses are stored lower-cased (Subscriber.save).
    return Subscriber.objects.filter(email=email)


def export(email):
    data = {"newsletter_subscribers": [], "newsletter_deliveries": []}
    for subscriber in _subscribers(email):
        row = gdpr.subscriber_data(subscriber)
        row.pop("exported_at")
        deliveries = row.pop("deliveries")
        data["newsletter_subscribers"].append(row)
        data["newsletter_deliveries"].extend(
            {"subscriber_id": subscriber.pk, **delivery} for delivery in deliveries
        )
    return data


def erase(email, user):
    """Deliveries are counted as kept, unlinked."""
    result = {"newsletter_subscribers": 0, "newsletter_deliveries": 0}
    for subscriber in _subscribers(email):
        result["newsletter_deliveries"] += gdpr.erase(subscriber, user=user)
        result["newsletter_subscribers"] += 1
    return result
