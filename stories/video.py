"""Recognise YouTube and Vimeo addresses and pull out the video id.

Pages never fetch anything from the video host to render (no oEmbed): the id is
enough to build the player's address when the visitor asks for it.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{6,12}$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    video_id: str

    @property
    def watch_url(self):
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def embed_url(self):
        """The privacy-friendly player: no cookies before play, no tracking."""
        return self.player_url()

    def player_url(self, language=""):
        """The privacy-friendly player, with captions in `language` where offered.

        It autoplays because it is loaded only when the visitor clicks play.
        """
        language = language.split("-")[0].lower() if LANGUAGE.match(language) else ""
        if self.provider == "youtube":
            url = f"https://www.youtube-nocookie.com/embed/{self.video_id}?autoplay=1"
            if language:
                url += f"&cc_load_policy=1&cc_lang_pref={language}&hl={language}"
            return url
        url = f"https://player.vimeo.com/video/{self.video_id}?dnt=1&autoplay=1"
        return url + f"&texttrack={language}" if language else url


def parse_video_url(url):
    """Return the Video a YouTube or Vimeo address shows, or None if it shows none."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host in YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            candidate = parse_qs(parts.query).get("v", [None])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            candidate = segments[1]
        if candidate and YOUTUBE_ID.match(candidate):
            return Video("youtube", candidate)
    elif host == "youtu.be":
        if segments and YOUTUBE_ID.match(segments[0]):
            return Video("youtube", segments[0])
    elif host in VIMEO_HOSTS:
        if host == "player.vimeo.com" and segments[:1] == ["video"]:
            segments = segments[1:]
        if segments and VIMEO_ID.match(segments[0]):
            return Video("vimeo", segments[0])
    return None
