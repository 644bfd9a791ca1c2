"""What an event and a call share: who organises it, which countries it is about and
the project it belongs to ("Who and what"), shown in the page's language."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from home.i18n import localized
from home.models import ProjectPage


def who_and_what_fields(related_name):
    """The organisers, countries and project fields; the reverse relations are named
    `organised_<related_name>` on partners and `<related_name>` on countries and
    projects (what country and project pages list)."""
    organisers = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("organisers"),
        blank=True,
        related_name=f"organised_{related_name}",
    )
    countries = ParentalManyToManyField(
        "home.CountryPage",
        verbose_name=_("countries"),
        blank=True,
        related_name=related_name,
    )
    project = models.ForeignKey(
        "home.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )
    return organisers, countries, project


WHO_AND_WHAT_PANEL = MultiFieldPanel(
    [
        FieldPanel("organisers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
        FieldPanel("project"),
    ],
    heading=_("Who and what"),
)


class RelatedPagesMixin:
    """Countries, organisers and project of an event or call, in the page's language."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            countries=localized(self.countries.all(), self.locale_id).order_by("title"),
            organisers=localized(self.organisers.all(), self.locale_id).select_related("logo"),
            # By id: fetching `self.project` first would cost a query of its own.
            project=localized(
                ProjectPage.objects.filter(pk=self.project_id), self.locale_id
            ).first()
            if self.project_id
            else None,
        )
        return context
