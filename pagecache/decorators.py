"""What may be cached is decided by the view, not guessed: Wagtail pages (through
the `on_serve_page` hook in pagecache/wagtail_hooks.py), feeds, calendar files and
the sitemap say so with `mark_public(request)` or `@cache_public`."""


def mark_public(request):
    """Let the page cache store this request's response, if it qualifies."""
    request.page_cache_public = True


def cache_public(view):
    """Decorator for function views whose answer is the same for every visitor."""

    def wrapper(request, *args, **kwargs):
        mark_public(request)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper
