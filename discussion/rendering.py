"""The discussion under a page, as the page cache stores it: the same HTML for every
visitor (no CSRF token, nonce, timestamp or address; the form posts to an uncached
view guarded like every public form: public_forms.guards).

Two queries whatever the number of contributions: the discussion's row (its switch
and its counts, kept by moderation) and one page of top-level contributions with
their published replies. `?discussion-page=N` pages, `?in-my-language=1` shows
only what was written in the page's language, `?reply=<id>` opens the reply form
under a contribution.
"""

import math

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from discussion.caching import PLACEHOLDER_STATES, declare, shown_top_level
from discussion.forms import ContributionForm
from discussion.models import Contribution, Discussion

PER_PAGE = 20
PAGE_PARAMETER = "discussion-page"
MINE_PARAMETER = "in-my-language"
REPLY_PARAMETER = "reply"


def page_types():
    """The page types with a discussion, by model label (settings: the app knows no
    page model)."""
    return getattr(settings, "DISCUSSION_PAGE_TYPES", ())


def has_discussion(page):
    return page is not None and page._meta.label_lower in page_types()


def _number(value, default=1):
    """A positive whole number from a query parameter, or `default`."""
    if value and len(value) < 10 and value.isascii() and value.isdigit():
        return max(int(value), 1)
    return default


def contributions_page(discussion, number, language=None):
    """Page `number` of the top-level contributions shown (newest first), each with
    its published replies (oldest first) in `.shown_replies`: one query."""
    top = shown_top_level(discussion.pk)
    if language:
        top = top.filter(language=language)
    start = (number - 1) * PER_PAGE
    top_ids = top.order_by("-created_at", "-pk").values("pk")[start : start + PER_PAGE]
    replies = Q(parent__in=top_ids, state=Contribution.State.APPROVED)
    if language:
        replies &= Q(language=language)
    rows = Contribution.objects.filter(Q(pk__in=top_ids) | replies).only(
        "pk", "parent_id", "name", "text", "language", "state", "is_office_answer", "created_at"
    )
    threads, by_parent = [], {}
    for row in sorted(rows, key=lambda c: (c.created_at, c.pk)):
        if row.parent_id is None:
            row.shown_replies = []
            row.is_placeholder = row.state in PLACEHOLDER_STATES
            threads.append(row)
        else:
            by_parent.setdefault(row.parent_id, []).append(row)
    for thread in threads:
        thread.shown_replies = by_parent.get(thread.pk, [])
    threads.reverse()  # newest thread first
    return threads


def discussion_context(page, request):
    """What `discussion/_discussion.html` needs, or None when the page shows none."""
    declare(page.translation_key)
    discussion = Discussion.objects.filter(translation_key=page.translation_key).first()
    is_open = discussion is None or discussion.is_open
    counts = discussion.shown_counts if discussion else {}
    if not is_open and not counts.get(""):
        return None
    language = translation.get_language()
    mine = request.GET.get(MINE_PARAMETER) == "1"
    total = counts.get(language if mine else "", 0)
    pages = max(math.ceil(total / PER_PAGE), 1)
    number = min(_number(request.GET.get(PAGE_PARAMETER)), pages)
    threads = contributions_page(discussion, number, language if mine else None) if total else []
    reply_to = _number(request.GET.get(REPLY_PARAMETER), None)
    if reply_to not in {thread.pk for thread in threads if not thread.is_placeholder}:
        reply_to = None
    form = None
    if is_open:
        form = ContributionForm(
            initial={"language": language, "parent": reply_to},
            prefix_id=f"reply{reply_to}" if reply_to else "discussion",
        )
    return {
        "page": page,
        "is_open": is_open,
        "threads": threads,
        "total": counts.get("", 0),
        "mine": mine,
        "mine_count": counts.get(language, 0),
        # A paginator over a range: the counts come from the discussion's row.
        "page_obj": Paginator(range(total), PER_PAGE).page(number),
        "reply_to": reply_to,
        "form": form,
        "language": language,
        "page_parameter": PAGE_PARAMETER,
        "mine_parameter": MINE_PARAMETER,
        "reply_parameter": REPLY_PARAMETER,
    }


def render_discussion(context):
    """The hook home's `{% page_appendix %}` calls for every page (templates/base.html)."""
    page = context.get("page")
    request = context.get("request")
    if request is None or not has_discussion(page):
        return ""
    data = discussion_context(page, request)
    if data is None:
        return ""
    return render_to_string("discussion/_discussion.html", data, request=request)
