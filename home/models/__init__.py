from home.models.base import BasePage, ListingFieldsMixin, StreamBodyMixin
from home.models.countries import CountryIndexPage, CountryPage, country_choices
from home.models.images import CustomImage, CustomRendition
from home.models.pages import FormField, FormPage, HomePage, StandardPage
from home.models.projects import ProjectIndexPage, ProjectPage
from home.models.snippets import ContactSettings, Footer, MainMenu, NamedSnippet, Partner
from home.models.translation_state import FallbackRevision, UntranslatedTextMixin

__all__ = [
    "BasePage",
    "ContactSettings",
    "CountryIndexPage",
    "CountryPage",
    "CustomImage",
    "CustomRendition",
    "FallbackRevision",
    "Footer",
    "FormField",
    "FormPage",
    "HomePage",
    "ListingFieldsMixin",
    "MainMenu",
    "NamedSnippet",
    "Partner",
    "ProjectIndexPage",
    "ProjectPage",
    "StandardPage",
    "StreamBodyMixin",
    "UntranslatedTextMixin",
    "country_choices",
]
