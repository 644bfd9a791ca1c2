"""What issue 18 rebuilt on purpose, reduced on both sides of the upgrade test to what
must survive it (tests/upgrade/test_upgrade.py).

- The header: its tools became a row of <details> (menu, search, languages) with
  <summary> buttons, and it gained a brand mark and header.js. Both sides' header is
  reduced to one canonical form: its links, labels, buttons, form and inputs (text and
  attributes), sorted since the tools moved; the <summary> buttons are new and left out.
- The home page, rebuilt as a whole (sections reordered, the newsletter's lead with a
  short subscription form): rather than its HTML, what must survive is compared: the
  hero's heading and text, the editors' body (the same blocks), every section's heading
  and every link of the previous home page (sections' "See all", cards, chips).
"""

import re

HEADER = re.compile(
    r'<header class="site-header">.*?</header>'
    r'(?:\s*<script src="[^"]*/js/header\.js"[^>]*></script>)?',
    re.S,
)
_SUMMARY = re.compile(r"<summary\b.*?</summary>", re.S)
_MARK = re.compile(r'<svg class="brand__mark".*?</svg>', re.S)
_HEADER_PARTS = re.compile(r"<(a|label|button)\b[^>]*>.*?</\1>|<(?:form|input|nav)\b[^>]*>", re.S)


def _canonical_header(match):
    html = _MARK.sub("", _SUMMARY.sub("", match.group(0)))
    parts = sorted(" ".join(part.group(0).split()) for part in _HEADER_PARTS.finditer(html))
    return "<header>" + "".join(parts) + "</header>"


def canonical_header(html):
    return HEADER.sub(_canonical_header, html)


MAIN = re.compile(r'<main id="main"[^>]*>.*</main>', re.S)
HOME_URL = re.compile(r"^/[a-z]{2}/$")
_HERO = re.compile(r'<h1 class="hero__heading">.*?</h1>|<div class="hero__text">.*?</div>', re.S)
_STREAM = re.compile(r'<div class="stream[^"]*">(.*?)</div>\s*(?=<section class="section)', re.S)
_HEADING = re.compile(r'<h2 id="section-\d+">(.*?)</h2>', re.S)
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')


def home_survivors(html):
    """What of a home page's <main> must survive the upgrade (see the module's text)."""
    main = MAIN.search(html)
    main = main.group(0) if main else ""
    stream = _STREAM.search(main)
    return {
        "hero": _HERO.findall(main),
        "body": " ".join(stream.group(1).split()) if stream else "",
        "sections": set(_HEADING.findall(main)),
        "links": set(_HREF.findall(main)),
    }


def home_lost(before, after):
    """What the previous home page had that this release's lacks (empty if nothing)."""
    old, new = home_survivors(before), home_survivors(after)
    lost = {key: old[key] for key in ("hero", "body") if old[key] != new[key]}
    for key in ("sections", "links"):
        if old[key] - new[key]:
            lost[key] = old[key] - new[key]
    return lost


def without_main(html):
    return MAIN.sub("<main></main>", html)
