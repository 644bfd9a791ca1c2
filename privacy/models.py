"""The suppression list: addresses erased on request or opted out, never to be
mailed again in bulk.

Only a keyed hash of each address is kept (see privacy.suppression), so the list
itself holds no address.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SuppressedAddress(models.Model):
    class Reason(models.TextChoices):
        # From the mildest to the strictest: an entry keeps the strictest reason given.
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        ERASED = "erased", _("erased on request")
        BOUNCED = "bounced", _("address bounced")
        COMPLAINED = "complained", _("marked as spam")

    digest = models.CharField(
        _("address hash"),
        max_length=64,
        unique=True,
        help_text=_("HMAC-SHA256 of the address: the address itself is not kept."),
    )
    suppressed_on = models.DateField(_("suppressed on"), default=timezone.localdate)
    reason = models.CharField(
        _("reason"), max_length=16, choices=Reason.choices, default=Reason.ERASED
    )

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        # Only the permission to find, export and erase a person's data: the list
        # is managed through erasure, never edited by hand.
        default_permissions = ()
        permissions = [
            ("manage_personal_data", _("Can find, export and erase a person's data")),
        ]

    def __str__(self):
        # A prefix of the hash: never the address (it is not known).
        return f"#{self.digest[:12]}"
