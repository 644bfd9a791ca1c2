"""Helpers for personal links: pressing the one button of a page opened from a
link (with Django's CSRF check on, as a browser would), and finding an address
or a name hidden in a URL in any of the encodings a token might use."""

import base64
import binascii
import contextlib
import re
import zlib
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.test import Client

URL = re.compile(r"""https?://[^\s<>"'()]+""")


def press_the_button(path, client=None):
    """GET `path`, then submit its main form (its one button) as a browser would:
    with the CSRF cookie and token the page gave. Returns (page, answer)."""
    client = client or Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    form = BeautifulSoup(page.content, "html.parser").select_one("main form[method=post]")
    assert form is not None, "the page has no form to post"
    assert len(form.select("button, input[type=submit]")) == 1, "one button"
    data = {
        field["name"]: field.get("value", "") for field in form.select("input[type=hidden][name]")
    }
    return page, client.post(form.get("action") or path, data)


def urls_in(text):
    return URL.findall(text)


def _b64_variants(segment):
    """`segment` read as URL-safe (or standard) base64 at every alignment: each
    prefix of 0–3 characters dropped, padded as needed."""
    cleaned = segment.replace("-", "+").replace("_", "/")
    for start in range(4):
        part = cleaned[start:]
        if not part:
            continue
        for padded in (part + "=" * (-len(part) % 4), part[: len(part) - len(part) % 4]):
            try:
                yield base64.b64decode(padded, validate=False)
            except (binascii.Error, ValueError):
                continue


def _decoded(segment):
    """Every reading of one segment of a URL: as is, percent-decoded, hex,
    base64 at every alignment, and Django's '.'-prefixed zlib-compressed base64."""
    readings = {segment.encode(), unquote(segment).encode()}
    plain = unquote(segment)
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", plain):
        readings.add(bytes.fromhex(plain))
    compressed = plain.startswith(".")
    for raw in _b64_variants(plain.lstrip(".")):
        readings.add(raw)
        if compressed or raw[:1] == b"x":
            with contextlib.suppress(zlib.error):
                readings.add(zlib.decompress(raw))
    return readings


def segments(url):
    """The parts of a URL a token could be hidden in: path segments, query keys
    and values, the fragment, and each piece of them split at : . ; , = & and
    spaces (Django's signer joins value, timestamp and signature with ':')."""
    parts = urlsplit(url)
    pieces = [*parts.path.split("/"), parts.query, parts.fragment, parts.netloc]
    pieces += re.split(r"[&=]", parts.query)
    found = set()
    for piece in pieces:
        piece = unquote(piece)
        found.add(piece)
        found.update(re.split(r"[:;,\s]", piece))
        # A '.'-prefixed compressed value may hold dots only at its start.
        found.update(re.split(r"[:;,.\s]", piece))
    return {piece for piece in found if piece}


def personal_data_in(url, secrets):
    """Which of `secrets` (addresses, names) any segment of `url` reveals, in any
    encoding, ignoring case."""
    wanted = {secret.lower().encode() for secret in secrets if secret}
    wanted |= {secret.lower().encode("utf-8") for secret in secrets if secret}
    revealed = set()
    for segment in segments(url):
        for reading in _decoded(segment):
            lowered = reading.lower()
            for secret in wanted:
                if secret in lowered:
                    revealed.add(secret.decode())
    return revealed
