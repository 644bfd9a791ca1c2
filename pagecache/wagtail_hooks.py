from wagtail import hooks

from pagecache.decorators import mark_public


@hooks.register("on_serve_page")
def pages_are_public(serve):
    """Wagtail serves a page: its answer may be cached. Pages behind a view
    restriction come back marked private by Wagtail, so they never are."""

    def inner(page, request, args, kwargs):
        if not getattr(request, "is_preview", False):
            mark_public(request)
            # Which page a view is counted for (pagecache.views_count).
            request.page_view_id = page.pk
        return serve(page, request, args, kwargs)

    return inner
