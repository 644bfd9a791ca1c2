"""French and Dutch punctuation spacing, checked on text (tests/test_typography.py).

French: a narrow no-break space (U+202F) before ; ! ? and inside « », a no-break
space (U+00A0, or U+202F) before :. Dutch: no space at all before them. What is not
prose is taken out first: HTML tags, scripts and styles, entities, URLs, email
addresses, times (18:30), placeholders (%(name)s, %s, {x}, {{ x }}).
"""

import re

NNBSP = "\u202f"
NBSP = "\u00a0"
NOT_PROSE = re.compile(
    r"<(script|style)\b.*?</\1\s*>"  # scripts and styles, whole
    r"|<!--.*?-->|<[^>]*>"  # comments and tags with their attributes
    r"|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"  # entities
    r"|\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"']*"  # URLs
    r"|\b(?:mailto|tel|data|javascript):[^\s<>\"']*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # times
    r"|%\([\w-]+\)[a-z]|%[sdifr]|\{\{.*?\}\}|\{[\w.:-]*\}",  # placeholders
    re.S,
)
SPACED = ";!?"
# One of ; : ! ? » with what comes before it; or « with what follows.
_BEFORE = re.compile(r"(.)?([;:!?»])")
_AFTER_OPENING = re.compile(r"«(.)?")


def prose(text):
    """`text` without what is not prose, each piece replaced by a space's worth
    of nothing that could be mistaken for a missing space: a plain "x"."""
    return NOT_PROSE.sub("x", text)


def _context(text, start, end):
    return text[max(0, start - 25) : end + 25].replace("\n", " ")


def french_problems(text):
    """Each place in `text` where French spacing is wrong, as a short excerpt with
    the wrong space shown (⍽ a plain space, ∅ no space)."""
    text = prose(text)
    problems = []
    for match in _BEFORE.finditer(text):
        before, mark = match.group(1), match.group(2)
        if before is None or before in SPACED + ":«" or before in "\n":
            continue  # "?!", or at the start of a line or a string
        if before == "\\":
            continue
        wanted = (NBSP, NNBSP) if mark == ":" else (NNBSP,)
        if before not in wanted:
            problems.append(_show(text, match.start(2), before))
    for match in _AFTER_OPENING.finditer(text):
        after = match.group(1)
        if after not in (None, NNBSP, "\n"):
            problems.append(_show(text, match.end(1) - 1, after))
    return problems


def dutch_problems(text):
    """Each place in `text` where a French space stands before punctuation."""
    text = prose(text)
    return [
        _show(text, match.start() + 1, match.group(1))
        for match in re.finditer(r"([\u00a0\u202f])[;:!?]", text)
    ]


def _show(text, position, space):
    label = {" ": "⍽", NBSP: "[U+00A0]", NNBSP: "[U+202F]"}.get(space, "∅")
    excerpt = _context(text, position, position + 1)
    return f"{label} at …{excerpt}…"
