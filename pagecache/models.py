"""How many times a page was viewed each day (pagecache.views_count): the page's
id, the day and a number; nothing about who viewed it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageViews(models.Model):
    # The page's id, not a foreign key: the page cache knows no page model, and the
    # counts of a deleted page are harmless.
    page_id = models.PositiveIntegerField(_("page id"))
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        constraints = [
            models.UniqueConstraint(fields=["page_id", "day"], name="one_count_per_page_and_day")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.views}"
