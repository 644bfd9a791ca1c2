"""What the daily digest already told each translator (translation_workflow.digest)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestNotice(models.Model):
    """One English page or snippet waiting in one language (submitted for translation,
    or out of date) that a translator's digest listed, with the version listed: the
    same version is never listed again. Deleted once the item no longer waits."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    translation_key = models.UUIDField()
    version = models.CharField(max_length=100)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("translation digest notice")
        verbose_name_plural = _("translation digest notices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locale", "content_type", "translation_key"],
                name="digest_notice_unique_item",
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.translation_key} ({self.locale_id})"
