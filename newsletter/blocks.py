"""Blocks of a newsletter issue: the shared ones, plus lists of events and calls
and spotlights on projects and stories."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from home.blocks import (
    INLINE_FEATURES,
    TEXT_FEATURES,
    BaseContentBlock,
    InstalledPageChooserBlock,
    LinkBlock,
    alt_text_block,
)


class EventItemBlock(blocks.StructBlock):
    page = InstalledPageChooserBlock(
        label=_("Event or call"),
        page_type=["events.EventPage", "events.CallPage"],
    )
    text = blocks.RichTextBlock(
        label=_("What the newsletter says about it"),
        features=INLINE_FEATURES,
    )

    class Meta:
        icon = "date"
        label = _("Event or call")


class EventsAndCallsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    items = blocks.ListBlock(EventItemBlock(), label=_("Events and calls"))
    closing_text = blocks.RichTextBlock(
        label=_("Closing text"),
        features=INLINE_FEATURES,
        required=False,
        help_text=_("For example an invitation to send in events."),
    )

    class Meta:
        label = _("Events and calls")
        icon = "date"
        template = "newsletter/blocks/events_and_calls.html"
        description = _("Events and calls for cooperation, each with a short text.")


class SpotlightBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=160)
    page = InstalledPageChooserBlock(
        label=_("Project, story or event"),
        required=False,
        page_type=["home.ProjectPage", "stories.StoryPage", "events.EventPage"],
        help_text=_("The page the section is about; it is linked under the text."),
    )
    image = ImageChooserBlock(label=_("Image"), required=False)
    image_alt = alt_text_block()
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    links = blocks.ListBlock(LinkBlock(), label=_("More links"), required=False, min_num=0)

    class Meta:
        label = _("Spotlight")
        icon = "pick"
        template = "newsletter/blocks/spotlight.html"
        description = _("A section about a project, a story or an event.")


class NewsletterBodyBlock(BaseContentBlock):
    events_and_calls = EventsAndCallsBlock()
    spotlight = SpotlightBlock()
