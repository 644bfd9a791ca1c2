"""What a page weighs on the wire: its HTML plus the stylesheets and scripts it
loads, each compressed as the static files are served (gzip, level 9). Images
load lazily and are left out. Used by tests/test_page_weight.py and
bench/page_weight.py."""

import gzip

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders


def compressed_size(data):
    return len(gzip.compress(data, compresslevel=9))


def _static_file(url):
    path = url.split("?")[0].removeprefix(settings.STATIC_URL)
    found = finders.find(path)
    with open(found, "rb") as file:
        return file.read()


def weigh(client, url):
    """Compressed bytes of the page at `url`: {"html", "css", "js", "total"}."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = BeautifulSoup(response.content, "html.parser")
    css = sum(
        compressed_size(_static_file(link["href"]))
        for link in page.select('link[rel="stylesheet"][href]')
    )
    js = sum(compressed_size(_static_file(script["src"])) for script in page.select("script[src]"))
    html = compressed_size(response.content)
    return {"html": html, "css": css, "js": js, "total": html + css + js}
