"""The site's image model: alt text is a required field of every image."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from home.wagtail_rendition_cache import RenditionCacheMixin, SlimPickleMixin


class CustomImage(RenditionCacheMixin, AbstractImage):
    # Wagtail's own `description` is its alt-text field (``default_alt_text``
    # reads it); here it is required, so no image reaches a page without one.
    description = models.CharField(
        _("alt text"),
        max_length=255,
        help_text=_(
            "Describe the image for people who cannot see it, in the source language "
            "(English). Leave out 'image of'."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Photographer or source, shown under the image where it is large."),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    @property
    def default_alt_text(self):
        return self.description


class CustomRendition(SlimPickleMixin, AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
