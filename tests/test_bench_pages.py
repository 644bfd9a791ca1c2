"""The pages the benchmarks visit (bench/demo_pages.py) are in the demo in every
language, each at an address of its own: the benchmarks time pages, not redirects."""

import re

import pytest

from bench.demo_pages import PAGES, address


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_every_benchmarked_page_answers_at_its_address(client, language):
    for name, (path, _kind) in PAGES.items():
        url = address(path, language)
        assert url.startswith(f"/{language}/"), (name, url)
        assert client.get(url).status_code == 200, (name, url)


DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


@pytest.mark.django_db
def test_every_benchmarked_page_is_described_in_its_language_and_only_search_is_noindex(client):
    """What Lighthouse's SEO audits ask of each page type (make bench-lighthouse)."""
    for name, (path, _kind) in PAGES.items():
        described = {}
        for language in ("en", "fr", "nl"):
            html = client.get(address(path, language)).content.decode()
            found = DESCRIPTION.findall(html)
            assert len(found) == 1, (name, language, found)
            described[language] = found[0]
            assert ('<meta name="robots" content="noindex">' in html) == (name == "search")
        assert len(set(described.values())) == 3, (name, described)
