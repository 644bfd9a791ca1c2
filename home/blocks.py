"""Blocks shared by every StreamField of the site.

Each block names its template, icon, description and a preview value, so the
admin's block picker can show what it will look like.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.coreutils import resolve_model_string
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from privacy.periods import stated as stated_periods

# Rich text stays within what the design supports.
INLINE_FEATURES = ["bold", "italic", "link"]
TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class InstalledPageChooserBlock(blocks.PageChooserBlock):
    """A page chooser limited to page types named by label ("app_label.ModelName"),
    of which those whose app is not installed are left out: a block of one app may
    offer another app's pages without needing it. Migrations keep the labels as
    written, so they are the same whichever apps are installed."""

    @cached_property
    def target_models(self):
        labels = [label for label in self.page_type if apps.is_installed(label.split(".")[0])]
        return [resolve_model_string(label) for label in labels]

    def deconstruct(self):
        # Wagtail's own writes the page types it resolved; these are written as named.
        args, kwargs = self._constructor_args
        kwargs = {key: value for key, value in kwargs.items() if key != "target_model"}
        kwargs["page_type"] = list(self.page_type)
        return self.canonical_module_path, args, kwargs


class LinkStructValue(blocks.StructValue):
    """A link to a page of this site or to another site."""

    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("external_url") or ""

    def label(self):
        if self.get("link_text"):
            return self.get("link_text")
        page = self.get("page")
        return page.title if page else self.get("external_url", "")


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page on this site"), required=False)
    external_url = blocks.URLBlock(label=_("Or a web address"), required=False)
    link_text = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=80,
        help_text=_("Leave empty to use the page's title."),
    )

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "external_url": ValidationError(
                        _("Choose a page or enter a web address (one of the two).")
                    )
                }
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)

    class Meta:
        label = _("Heading")
        icon = "title"
        template = "components/blocks/heading.html"
        description = _("A section heading (level 2).")
        preview_value = {"text": "Diaspora events & calls"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        label = _("Paragraph")
        icon = "pilcrow"
        template = "components/blocks/paragraph.html"
        description = _("Text with bold, italic, links and lists.")
        preview_value = (
            "<p>With this newsletter, we would like to set up a dialogue with you "
            "and create a platform for debate that will benefit all.</p>"
        )


def alt_text_block(label=None):
    """A page's own alt text for an image it shows, translated with the page; left
    empty, the image's own (English) one is used (image_tags.image_alt)."""
    return blocks.CharBlock(
        label=label or _("Alt text (optional)"),
        required=False,
        default="",  # blocks stored before the field have none: "" keeps them translatable
        max_length=255,
        help_text=_("Leave empty to use the image's own alt text. Translated with the page."),
    )


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text (optional)"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the image's own alt text. Translated with the page."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        label = _("Image")
        icon = "image"
        template = "components/blocks/image.html"
        description = _("An image with an optional caption.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        label = _("Quote")
        icon = "openquote"
        template = "components/blocks/quote.html"
        description = _("A quotation, with who said it.")
        preview_value = {
            "quote": "A gender-specific approach towards diaspora was rather innovative.",
            "attribution": "IOM Belgium",
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=INLINE_FEATURES, required=False)
    link = LinkBlock(label=_("Button"))
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)

    class Meta:
        label = _("Call to action")
        icon = "pick"
        template = "components/blocks/call_to_action.html"
        description = _("A highlighted box with a button: subscribe, answer the survey…")
        preview_value = {
            "heading": "We need your advice!",
            "text": "<p>How could we best serve the interests of the diaspora community?</p>",
            "button_label": "Take the two-minute survey",
            "link": {"external_url": "https://example.org/survey"},
        }


class NoticeBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=INLINE_FEATURES)

    class Meta:
        label = _("Notice")
        icon = "info-circle"
        template = "components/blocks/notice.html"
        description = _("A short note set apart from the text.")
        preview_value = {
            "heading": "Note",
            "text": "<p>You have received this newsletter because you have been in contact "
            "with us through participation in events or meetings.</p>",
        }


class ExternalInitiativeBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    link = LinkBlock(label=_("Link"))

    class Meta:
        label = _("External initiative")
        icon = "site"
        template = "components/blocks/external_initiative.html"
        description = _("An initiative run elsewhere, with a link to it.")
        preview_value = {
            "heading": "Global diaspora initiative",
            "text": "<p>Visit the global iDIASPORA platform.</p>",
            "link": {"external_url": "https://www.idiaspora.org/", "link_text": "iDIASPORA"},
        }


class PartnerLogosBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=160)
    partners = blocks.ListBlock(SnippetChooserBlock("home.Partner"), label=_("Partners"))

    class Meta:
        label = _("Partner logos")
        icon = "group"
        template = "components/blocks/partner_logos.html"
        description = _("The funders or partners of the projects, with their logos.")


class ContactBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=INLINE_FEATURES, required=False)

    class Meta:
        label = _("Contact details")
        icon = "mail"
        template = "components/blocks/contact.html"
        description = _("The office's address, phone and email from the site settings.")
        preview_value = {"heading": "For more information"}


#: Wagtail hook: the function registered under this name renders the subscription
#: form of the SubscribeBlock (it takes the template context, returns HTML). The app
#: that keeps the mailing list registers it; without one the block shows its text only.
SUBSCRIPTION_FORM_HOOK = "register_subscription_form"

#: Wagtail hook: each function registered under this name renders what its app adds
#: below a page's content (it takes the template context, returns HTML or ""): the
#: discussion under a story, for example. It decides which pages it concerns.
PAGE_APPENDIX_HOOK = "register_page_appendix"


class SubscribeBlock(blocks.StructBlock):
    """A heading and text above the subscription form (see SUBSCRIPTION_FORM_HOOK)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=INLINE_FEATURES, required=False)

    class Meta:
        label = _("Newsletter subscription")
        icon = "mail"
        template = "components/blocks/subscribe.html"
        description = _("The newsletter subscription form (email, language, consent).")
        preview_value = {"heading": "Receive the next newsletter"}


class RetentionPeriodsBlock(blocks.StructBlock):
    """How long each kind of personal data is kept, as the settings have it: every
    kind the installed apps registered (privacy.periods), so the page stays true
    when a period changes."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=INLINE_FEATURES, required=False)

    class Meta:
        label = _("Retention periods")
        icon = "time"
        template = "components/blocks/retention_periods.html"
        description = _("How long the site keeps each kind of personal data (from the settings).")
        preview_value = {"heading": "How long we keep your data"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["periods"] = stated_periods()
        return context


class BaseContentBlock(blocks.StreamBlock):
    """The blocks every body field offers."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    notice = NoticeBlock()
    external_initiative = ExternalInitiativeBlock()
    partner_logos = PartnerLogosBlock()
    contact = ContactBlock()
    subscribe = SubscribeBlock()
    retention_periods = RetentionPeriodsBlock()
