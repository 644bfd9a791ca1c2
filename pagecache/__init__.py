"""The page cache: anonymous visitors get rendered pages from the cache, emptied at
once on any content change, and each page at the moment it says it changes; a CDN in
front is purged through Wagtail's frontend cache. It knows no page type of the site.
See docs/caching-and-forms.md."""
