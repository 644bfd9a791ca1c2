"""What an event and a call share: who organises it, which countries it is about and
the project it belongs to ("Who and what"), shown in the page's language."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from home.i18n import chosen_versions
from home.models import Partner, ProjectPage


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
        context.update(self.who_and_what())
        return context

    def who_and_what(self):
        """{"organisers", "countries", "project"} in the page's language, in two
        queries: the organisers, then the countries and the project together (the
        facts show their titles and links, which every page has)."""
        pages = chosen_versions(
            Page,
            self.locale_id,
            relations=[(self, "countries")],
            ids=[self.project_id],  # by id: fetching `self.project` would cost a query
            order_by=["title"],
        )
        project_type = ContentType.objects.get_for_model(ProjectPage).pk
        countries, projects = [], []
        for page in pages:
            (projects if page.content_type_id == project_type else countries).append(page)
        return {
            "organisers": chosen_versions(
                Partner, self.locale_id, relations=[(self, "organisers")]
            ),
            "countries": countries,
            "project": projects[0] if projects else None,
        }
