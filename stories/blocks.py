"""Blocks that stories add to the shared ones: interviews and videos."""

import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from home.blocks import TEXT_FEATURES, BaseContentBlock, alt_text_block
from stories.video import parse_video_url

DURATION = re.compile(r"^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)$")


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    speaker = blocks.CharBlock(
        label=_("Who answers"),
        max_length=120,
        required=False,
        help_text=_("Name of the person answering, as it should appear."),
    )
    answer = blocks.RichTextBlock(label=_("Answer"), features=TEXT_FEATURES)

    class Meta:
        label = _("Interview")
        icon = "help"
        template = "stories/blocks/question_answer.html"
        description = _("One question of an interview and its answer.")
        preview_value = {
            "question": "What has your association been doing?",
            "speaker": "A participant",
            "answer": "<p>We strengthened our role in projects in our country of origin.</p>",
        }


class VideoStructValue(blocks.StructValue):
    def video(self):
        return parse_video_url(self.get("url"))

    def player_url(self):
        """The player to load on click, captions in the visitor's language."""
        video = self.video()
        return video.player_url(translation.get_language() or "") if video else ""

    def duration_iso(self):
        """The duration as ISO 8601 (PT3M25S), for machine-readable metadata."""
        match = DURATION.match(self.get("duration") or "")
        if not match:
            return ""
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return f"PT{hours}H{minutes}M{seconds}S" if hours else f"PT{minutes}M{seconds}S"


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video shown without contacting the host until play.

    Nothing is fetched from the host when the page renders: the poster is our own
    image and the id comes from the address.
    """

    url = blocks.URLBlock(
        label=_("Video address"),
        help_text=_("A YouTube or Vimeo address, e.g. https://www.youtube.com/watch?v=…"),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=160)
    # Required (Wagtail marks it with * in the editor): the page shows no video
    # without it, and the editor learns so before the first save, not at publishing.
    poster = ImageChooserBlock(
        label=_("Poster image"),
        required=True,
        help_text=_(
            "Required. The picture shown before the video plays, and the only thing "
            "loaded until the reader clicks play: nothing comes from YouTube or Vimeo "
            "before that. A still from the video works well."
        ),
    )
    poster_alt = alt_text_block(_("Poster alt text (optional)"))
    duration = blocks.CharBlock(
        label=_("Duration"),
        max_length=8,
        required=False,
        help_text=_("Minutes and seconds, e.g. 3:25 (or 1:02:10)."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "link"],
        required=False,
        help_text=_("What is said and shown, for people who cannot watch or hear it."),
    )

    class Meta:
        label = _("Video")
        icon = "media"
        template = "stories/blocks/video.html"
        value_class = VideoStructValue
        description = _(
            "A video: its address, title and poster image (required), duration and transcript."
        )

    def clean(self, value):
        # Report the address and duration problems together with any missing field.
        try:
            cleaned = super().clean(value)
            errors = {}
        except blocks.StructBlockValidationError as error:
            cleaned, errors = value, dict(error.block_errors)
        value = cleaned
        if "url" not in errors and parse_video_url(value.get("url")) is None:
            errors["url"] = ValidationError(
                _(
                    "Enter a YouTube or Vimeo video address, such as "
                    "https://www.youtube.com/watch?v=abcdefghijk or https://vimeo.com/123456789."
                )
            )
        if (
            "duration" not in errors
            and value.get("duration")
            and not DURATION.match(value["duration"])
        ):
            errors["duration"] = ValidationError(
                _("Write the duration as minutes:seconds, e.g. 3:25.")
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class StoryBodyBlock(BaseContentBlock):
    question_answer = QuestionAnswerBlock()
    video = VideoBlock()
