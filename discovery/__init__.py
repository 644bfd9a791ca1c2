"""How visitors and machines find the site's pages: search, the sitemap and
robots.txt, RSS feeds, and the metadata in every page's <head> (canonical link,
hreflang alternates, Open Graph, JSON-LD). The apps declare their feeds and private
paths through hooks; it knows no feature. See docs/architecture.md."""
