"""Discovery's public URLs: the sitemap and robots.txt at the root, the search and
the country feeds under each language prefix (site/urls.py places them)."""

from django.urls import path

from discovery.feeds import CountryFeed
from discovery.search import search
from discovery.sitemaps import robots_txt, sitemap

root_urlpatterns = [
    # For crawlers, at the root: every language's pages, with their alternates.
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

language_urlpatterns = [
    # RSS of a country's stories and events; ".xml" is a suffix no page slug can have.
    path("countries/<str:country_code>/feed.xml", CountryFeed(), name="country_feed"),
    # Site search in the visitor's language.
    path("search/", search, name="search"),
]
