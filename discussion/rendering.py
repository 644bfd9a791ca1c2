"""The discussion under a page, as the page cache stores it: the same HTML for every
visitor (no CSRF token, nonce, timestamp or address; the form posts to an uncached
view guarded like every public form: public_forms.guards).

Two queries whatever the number of contributions: the discussion's row (its switch
and its counts, kept by moderation) and one page of top-level contributions with
their published replies, each compiled to SQL once per process (and per page
number: home.compiled_queries). The blank form is the same for every page in a
language: its fields are rendered once per process, language and thread.
`?discussion-page=N` pages, `?in-my-language=1` shows only what was written in the
page's language, `?reply=<id>` opens the reply form under a contribution.
"""

import math
from functools import lru_cache, partial

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from discussion.caching import PLACEHOLDER_STATES, declare, shown_top_level
from discussion.forms import ContributionForm
from discussion.models import Contribution, Discussion
from home.compiled_queries import CompiledQuery

PER_PAGE = 20
# Page numbers whose query is compiled once; beyond, the ORM builds it each time.
MAX_COMPILED_PAGES = 64
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


def _page_rows(number, discussion, language=None):
    top = shown_top_level(discussion)
    if language is not None:
        top = top.filter(language=language)
    start = (number - 1) * PER_PAGE
    top_ids = top.order_by("-created_at", "-pk").values("pk")[start : start + PER_PAGE]
    replies = Q(parent__in=top_ids, state=Contribution.State.APPROVED)
    if language is not None:
        replies &= Q(language=language)
    return Contribution.objects.filter(Q(pk__in=top_ids) | replies).order_by("created_at", "pk")


_page_queries = {}


def _rows(number, **values):
    query = _page_queries.get(number)
    if query is None:
        if len(_page_queries) >= MAX_COMPILED_PAGES:
            return list(_page_rows(number, **values))
        query = _page_queries[number] = CompiledQuery(partial(_page_rows, number))
    return query(**values)


DISCUSSION = CompiledQuery(lambda key: Discussion.objects.filter(translation_key=key)[:1])


def contributions_page(discussion, number, language=None):
    """Page `number` of the top-level contributions shown (newest first), each with
    its published replies (oldest first) in `.shown_replies`: one query."""
    values = {"discussion": discussion.pk}
    if language:
        values["language"] = language
    threads, by_parent = [], {}
    for row in _rows(number, **values):
        if row.parent_id is None:
            row.is_placeholder = row.state in PLACEHOLDER_STATES
            threads.append(row)
        else:
            by_parent.setdefault(row.parent_id, []).append(row)
    for thread in threads:
        thread.shown_replies = by_parent.get(thread.pk, [])
    threads.reverse()  # newest thread first
    return threads


@lru_cache(maxsize=256)
def blank_form_fields(language, reply_to):
    """The fields of the empty form, as HTML, in `language` (the same on every page:
    nothing in them depends on the content)."""
    form = ContributionForm(
        initial={"language": language, "parent": reply_to},
        prefix_id=f"reply{reply_to}" if reply_to else "discussion",
    )
    with translation.override(language):
        return render_to_string("discussion/_form_fields.html", {"form": form})


def discussion_context(page, request):
    """What `discussion/_discussion.html` needs, or None when the page shows none."""
    declare(page.translation_key)
    found = DISCUSSION(key=str(page.translation_key))
    discussion = found[0] if found else None
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
    form_fields = blank_form_fields(language, reply_to) if is_open else None
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
        "form_fields": form_fields,
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
    # Without the template's surrounding white space: a page without a discussion
    # and one with it differ by the section alone.
    return render_to_string("discussion/_discussion.html", data, request=request).strip()
