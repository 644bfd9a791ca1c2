"""The newsletter's personal data and how long it stays (privacy.periods):
sign-ups never confirmed and invitations not accepted go (purge_subscribers'
rules); subscriptions, with their consent and the issues sent, stay until the person
asks for their erasure."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from newsletter.management.commands.purge_subscribers import (
    expired_requests,
    unanswered_invitations,
    unconfirmed,
)
from privacy import periods

PERSONAL_MODELS = ["newsletter.subscriber", "newsletter.subscriptionrequest", "newsletter.delivery"]
KINDS = []

KINDS.append(
    periods.Kind(
        key="newsletter_subscriptions",
        label=_("Newsletter subscriptions, with the consent given and the issues sent"),
        period=lambda: _("until you ask for their erasure"),
        order=10,
    )
)
KINDS.append(
    periods.Kind(
        key="newsletter_unconfirmed",
        label=_("Newsletter sign-ups never confirmed"),
        period=lambda: periods.natural(settings.NEWSLETTER["UNCONFIRMED_DAYS"]),
        start=_("after signing up"),
        expired=lambda now: {
            "unconfirmed sign-up(s)": unconfirmed(now),
            "expired subscription request(s)": expired_requests(now),
        },
        order=11,
    )
)
KINDS.append(
    periods.Kind(
        key="newsletter_invitations",
        label=_("Contacts of the former list who did not accept the invitation"),
        period=lambda: periods.natural(settings.NEWSLETTER["INVITATION_DAYS"]),
        start=_("after the invitation"),
        expired=lambda now: {"unanswered invitation(s)": unanswered_invitations(now)},
        order=12,
    )
)
