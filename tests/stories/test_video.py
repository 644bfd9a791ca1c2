"""Video addresses: the id is read from the address, nothing is fetched."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError

from stories.blocks import VideoBlock
from stories.video import Video, parse_video_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", Video("youtube", "dQw4w9WgXcQ")),
        (
            "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            Video("youtube", "dQw4w9WgXcQ"),
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", Video("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
        ("https://vimeo.com/76979871", Video("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871?h=abc", Video("vimeo", "76979871")),
    ],
)
def test_recognised_addresses(url, expected):
    assert parse_video_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=<script>xx",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=x",
        "https://vimeo.com/channels/staffpicks",
        "https://dailymotion.com/video/x7xyz",
        "javascript:alert(1)",
        "https://[::1",
        "https://www.youtube.com/",
    ],
)
def test_refused_addresses(url):
    assert parse_video_url(url) is None


def test_player_addresses_are_the_privacy_friendly_ones():
    assert Video("youtube", "dQw4w9WgXcQ").embed_url.startswith(
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert "dnt=1" in Video("vimeo", "76979871").embed_url


@pytest.mark.django_db
def test_video_block_refuses_an_address_it_cannot_play():
    block = VideoBlock()
    value = block.to_python(
        {
            "url": "https://example.org/video.mp4",
            "title": "T",
            "poster": None,
            "duration": "3 min",
            "transcript": "",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    errors = error.value.block_errors
    assert "url" in errors and "duration" in errors
    assert isinstance(errors["url"], ValidationError)
    assert "YouTube or Vimeo" in errors["url"].messages[0]


@pytest.mark.django_db
def test_video_block_gives_machine_readable_duration():
    block = VideoBlock()
    assert block.to_python({"duration": "3:25"}).duration_iso() == "PT3M25S"
    assert block.to_python({"duration": "1:02:10"}).duration_iso() == "PT1H2M10S"
    assert block.to_python({"duration": ""}).duration_iso() == ""
