"""What the subscription tests share: a same-origin POST, the newsletter's view
addresses in a language, and a rate limit emptied around each test."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit lives in the cache, shared by every test of the run."""
    cache.clear()
    yield
    cache.clear()


def url(name, language="en", *args):
    with translation.override(language):
        return reverse(f"newsletter:{name}", args=args)
