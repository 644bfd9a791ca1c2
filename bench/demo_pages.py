"""The demo's pages the benchmarks visit: one of each page type, by its path under
/en/, and whether the speed budget counts it as an index or a detail page.

French and Dutch pages have slugs of their own (/fr/pays/rwanda/, /nl/landen/rwanda/;
their English-slug addresses only redirect): `address(path, language)` gives the
address to visit in each language.
"""

PAGES = {
    "home": ("", "index"),
    "country index": ("countries/", "index"),
    "country": ("countries/rwanda/", "detail"),
    "project index": ("projects/", "index"),
    "project": ("projects/rwanda-health-and-education/", "detail"),
    "story index": ("stories/", "index"),
    "story (interview)": ("stories/women-diaspora-4dev-academy-interviews/", "detail"),
    "story (video)": ("stories/women-diaspora-4dev-academy-video/", "detail"),
    "story (article)": ("stories/mission-to-niger-and-tahoua-job-fair/", "detail"),
    "event index": ("events/", "index"),
    "event": ("events/rwanda-diaspora-info-session/", "detail"),
    "call": ("events/invest-in-a-rwanda-pilot-project/", "detail"),
    "newsletter index": ("newsletter/", "index"),
    "newsletter issue": ("newsletter/issue-1/", "detail"),
    "subscribe": ("newsletter/subscribe/", "detail"),
    "survey (form)": ("survey/", "detail"),
    "standard page": ("about/", "detail"),
    "search": ("search/?q=diaspora", "index"),
}


def english_page(path):
    """The demo page at /en/<path> (its English path below the home page), or None
    when no page is there (a view). Reads the demo's database: call it once Django
    is set up."""
    from wagtail.models import Locale, Page

    from home.models import HomePage

    home = HomePage.objects.get(locale=Locale.get_default())
    url_path = home.url_path + "".join(f"{slug}/" for slug in path.split("/") if slug)
    return Page.objects.filter(url_path=url_path).first()


def address(path, language):
    """The address in `language` of the demo page at /en/<path> of PAGES.

    A view (search/, newsletter/subscribe/) keeps its path under each language prefix.
    """
    from wagtail.models import Locale

    path, mark, query = path.partition("?")
    page = english_page(path)
    if page is None:
        return f"/{language}/{path}{mark}{query}"
    locale = Locale.objects.get(language_code=language)
    return page.get_translation(locale).url + mark + query
