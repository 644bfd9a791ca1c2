from home.models.base import BasePage, ListingFieldsMixin, StreamBodyMixin
from home.models.countries import CountryIndexPage, CountryPage
from home.models.forms import PublicFormMixin, PublicFormSubmission, TranslatableFormField
from home.models.images import CustomImage, CustomRendition
from home.models.pages import FormField, FormPage, HomePage, StandardPage
from home.models.projects import ProjectIndexPage, ProjectPage
from home.models.snippets import ContactSettings, Footer, MainMenu, Partner

__all__ = [
    "BasePage",
    "ContactSettings",
    "CountryIndexPage",
    "CountryPage",
    "CustomImage",
    "CustomRendition",
    "Footer",
    "FormField",
    "FormPage",
    "HomePage",
    "ListingFieldsMixin",
    "MainMenu",
    "Partner",
    "ProjectIndexPage",
    "ProjectPage",
    "PublicFormMixin",
    "PublicFormSubmission",
    "StandardPage",
    "StreamBodyMixin",
    "TranslatableFormField",
]
