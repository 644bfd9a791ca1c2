"""Text cut or joined without losing French typography's no-break spaces.

Python's `str.split()` and Django's `Truncator` break at U+00A0 and U+202F, which
French puts before : ; ! ? (tests/test_typography.py): a card's summary or an
email's subject cut or joined with them would show "Merci !" with a plain space.
"""

import re

_BREAKING_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def one_line(text):
    """`text` on one line, runs of ordinary white space made one space."""
    return _BREAKING_SPACE.sub(" ", str(text)).strip()


def first_words(text, count):
    """The first `count` words of `text`, with "…" when it is cut, as Django's
    `Truncator(text).words(count)` gives them but for no-break spaces."""
    words = one_line(text).split(" ")
    if len(words) <= count:
        return " ".join(words)
    return " ".join(words[:count]) + "…"
