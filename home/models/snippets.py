"""Translatable snippets (text that editors manage outside pages) and the
language-neutral site settings.

Wagtail's settings models cannot be translated (wagtail#11508), so only values
that read the same in every language (phone, email, website) are settings;
everything worded is a translatable snippet, fetched in the visitor's locale.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from home.blocks import INLINE_FEATURES, LinkBlock
from home.models.translation_state import UntranslatedTextMixin


class NamedSnippet(UntranslatedTextMixin, TranslatableMixin, index.Indexed, models.Model):
    """A translatable snippet known by its `name` (which each subclass declares):
    searchable by name in the admin's chooser, listed in alphabetical order."""

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Partner(NamedSnippet):
    """A funder, partner or organiser of projects and events."""

    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(
        _("short description"),
        max_length=255,
        blank=True,
        help_text=_("For example 'partner in development'. Shown under the name."),
    )
    logo = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Without a logo the name is shown as text."),
    )
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("website"),
    ]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class OnePerLanguageMixin:
    """Chrome snippets exist once per language; translations of the same one are
    fine, a second English menu is not."""

    def clean(self):
        super().clean()
        others = type(self)._default_manager.filter(locale_id=self.locale_id)
        others = others.exclude(pk=self.pk).exclude(translation_key=self.translation_key)
        if self.locale_id and others.exists():
            raise ValidationError(
                _("There is already one in this language: edit it instead of adding another.")
            )


class MainMenu(OnePerLanguageMixin, UntranslatedTextMixin, TranslatableMixin, models.Model):
    """The header menu, one per language."""

    items = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("menu items"),
        blank=True,
        help_text=_("Links in the header, in order. Pages are shown in the visitor's language."),
    )

    panels = [FieldPanel("items")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("main menu")
        verbose_name_plural = _("main menus")

    def __str__(self):
        return str(_("Main menu ({language})")).format(language=self.locale.get_display_name())


class Footer(OnePerLanguageMixin, UntranslatedTextMixin, TranslatableMixin, models.Model):
    """The footer's worded content, one per language."""

    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        help_text=_("Shown in the footer and the contact block."),
    )
    text = RichTextField(_("text"), features=INLINE_FEATURES, blank=True)
    address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_(
            "Street, postal code and city, one per line, as written in this language "
            "(Bruxelles, Brussel). Shown in the footer and the contact block."
        ),
    )
    links = StreamField([("link", LinkBlock())], verbose_name=_("links"), blank=True)

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("text"),
        FieldPanel("address"),
        FieldPanel("links"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer")
        verbose_name_plural = _("footers")

    def __str__(self):
        return str(_("Footer ({language})")).format(language=self.locale.get_display_name())


@register_setting(icon="mail")
class ContactSettings(BaseGenericSetting):
    """The office's contact details that read the same in every language (its postal
    address is worded per language, in the Footer snippet)."""

    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("In international form: +32 2 …")
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading=_("Phone, email and web"),
            help_text=_(
                "These values are shown in every language. Worded text, the postal "
                "address included, belongs in the Footer snippet, which is translated."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("contact details")

    @property
    def phone_href(self):
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
