"""Who proposed an event through the public form ("Send us your event").

The proposal itself becomes a draft EventPage; the organiser's contact details stay
here, off the page, for staff only. Deleting the draft deletes them too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventProposal(models.Model):
    page = models.OneToOneField(
        "events.EventPage",
        verbose_name=_("event page"),
        on_delete=models.CASCADE,
        related_name="proposal",
    )
    language = models.CharField(
        _("language of the proposal"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language the organiser wrote in (the draft stays in it)."),
    )
    name = models.CharField(_("organiser's name"), max_length=200)
    email = models.EmailField(_("organiser's email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    consent_text = models.TextField(
        _("consent given"), help_text=_("The text the organiser agreed to, as shown.")
    )
    consent_given_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event proposal")
        verbose_name_plural = _("event proposals")
        ordering = ["-created_at"]

    def __str__(self):
        # No personal data: this label appears in the admin's logs.
        return _("Event proposal #%(id)s") % {"id": self.pk}
