"""The pages the benchmarks visit (bench/demo_pages.py) are in the demo in every
language, each at an address of its own: the benchmarks time pages, not redirects."""

import pytest

from bench.demo_pages import PAGES, address


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_every_benchmarked_page_answers_at_its_address(client, language):
    for name, (path, _kind) in PAGES.items():
        url = address(path, language)
        assert url.startswith(f"/{language}/"), (name, url)
        assert client.get(url).status_code == 200, (name, url)
