"""Site search: the live pages of the visitor's language, labelled by type, paginated.

A page type names itself in the results with a `search_result_label` class attribute
("Story", "Event"); others are labelled "Page".

Wagtail's database search backend (SQLite here, PostgreSQL full text in production)
searches only pages written in the visitor's language: aliases of untranslated pages
are left out, since their text is the source page's, in another language.
"""

import math
import re
import unicodedata

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from discovery.compiled_search import compiled, page_rows
from home.chrome import active_locale_id
from home.models.base import PAGE_SIZE, public
from home.models.translation_state import written_in_own_language
from home.prepared import MAX_OFFSET
from home.serving import find_site
from home.specific import specific_pages_by_id
from security.rate_limits import over_rate_limit

MAX_QUERY_LENGTH = 200
TEMPLATE = "pages/search.html"

OTHER_TYPE_LABEL = pgettext_lazy("type of search result", "Page")

WORDS = re.compile(r"\w+")
DIGIT = re.compile(r"\d")
# A term holding "@" or six digits or more may be an email address, a phone number or
# another identifier typed by mistake: such terms are never recorded.
PERSONAL_DIGITS = 6
# Terms recorded per client address, and in how many seconds: beyond it the results
# still show, but a script can no longer fill the "Search terms" report (or the table).
RECORD_RATE_LIMIT = (30, 600)


def _refusal(query):
    """Why `query` cannot be searched for, or None."""
    if len(query) > MAX_QUERY_LENGTH:
        return _("Your search is too long. Please use at most %(limit)d characters.") % {
            "limit": MAX_QUERY_LENGTH
        }
    # A NUL byte makes PostgreSQL raise; no control character belongs in a search.
    if any(unicodedata.category(char) == "Cc" for char in query):
        return _(
            "Your search contains characters that cannot be searched for. Please use words only."
        )
    return None


def search_pages(query, locale):
    """Live public pages of `locale`, not aliases, matching every word of `query`
    (plain Page rows: the view makes the ones it shows specific).

    Only the words are passed on: quotes and operators would reach the full-text
    syntax of SQLite (a lone `"` raises there). The alias filter goes through the
    primary key, a filter field Wagtail's search accepts (`alias_of` is not one).
    """
    words = WORDS.findall(query)
    if not words:
        return Page.objects.none()
    return _wagtail_search(words, locale)


def _wagtail_search(words, locale):
    # The privacy filter sits in the subquery too: Wagtail's search takes `pk__in`
    # but not the `Exists` that `public()` adds (AttributeError, a 500).
    written_here = public(written_in_own_language(Page.objects.filter(locale=locale))).values("pk")
    pages = Page.objects.live().filter(locale=locale, pk__in=written_here)
    return pages.search(" ".join(words), operator="and")


class _WagtailResults:
    """Wagtail's search results, built when a paginator first asks for them."""

    def __init__(self, query, locale):
        self.query, self.locale, self.results = query, locale, None

    def _results(self):
        if self.results is None:
            self.results = search_pages(self.query, self.locale)
        return self.results

    def count(self):
        return self._results().count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return self._results()[index]


def results_page(query, locale, number, per_page=PAGE_SIZE):
    """The paginator's page of the search for `query` in `locale` (an id) that the
    page number `number` (as typed) asks for, as `home.models.base.paginate` gives it
    over `search_pages`, and its results as (id, content type id).

    The page of results and their number come in one query, its SQL compiled once
    per shape of search (`discovery.compiled_search`); a page out of range, or a
    shape that cannot be compiled so, is left to Wagtail and the paginator."""
    paginator = Paginator(_WagtailResults(query, locale), per_page)
    words = WORDS.findall(query)
    fast = _fast_number(paginator, number) if words else None
    if fast is not None:
        bottom = (fast - 1) * per_page
        key = (Page.objects.db, locale, len(words), bottom, per_page)

        def build(words):
            results = _wagtail_search(words, locale)[bottom : bottom + per_page]
            return page_rows(results, ("pk", "content_type_id"))

        try:
            search = compiled(key, build, len(words), Page.objects.db)
        except ValueError:
            search = None
        rows = search.run(words) if search else []
        if rows or (search and not bottom):
            paginator.count = rows[0][-1] if rows else 0  # the cached property
            shown = [row[:-1] for row in rows]
            return paginator._get_page(shown, fast, paginator), shown
    page_obj = paginator.get_page(number)
    return page_obj, [(page.pk, page.content_type_id) for page in page_obj.object_list]


def _fast_number(paginator, number):
    """The page number asked for, when its page may be read in one query; else None
    (the paginator deals with it: below 1, or beyond any listing's rows)."""
    try:
        number = paginator._validate_number(number, math.inf)
    except PageNotAnInteger:
        return 1  # as get_page() has it
    except EmptyPage:
        return None
    return number if (number - 1) * paginator.per_page <= MAX_OFFSET else None


def looks_personal(query):
    return "@" in query or len(DIGIT.findall(query)) >= PERSONAL_DIGITS


def record_term(query):
    """Count the term for the admin's "Search terms" report: the words searched for
    and a daily hit count, nothing about who searched. Terms that look like an email
    address or a phone number are not recorded at all."""
    words = WORDS.findall(query)
    if words and not looks_personal(query):
        Query.get(" ".join(words)).add_hit()


@require_safe
def search(request):
    query = " ".join(request.GET.get("q", "").split())
    refusal = _refusal(query)
    if refusal:
        return render(request, TEMPLATE, {"error": refusal}, status=400)

    # The site and the language from queries compiled once, as served pages get them
    # (home.serving): Wagtail's lookups compiled their SQL anew, a fifth of the page.
    find_site(request)
    page_obj, shown = results_page(query, active_locale_id(), request.GET.get("page"))
    # The results shown, each with its type's own fields (its summary), in one query
    # whatever their types: `.specific()` took one per type (up to 12 more).
    results = [
        {"page": page, "type": getattr(page, "search_result_label", OTHER_TYPE_LABEL)}
        for page in specific_pages_by_id(shown)
    ]
    if query and page_obj.number == 1 and not over_rate_limit(request, "search", RECORD_RATE_LIMIT):
        record_term(query)
    context = {"query": query, "page_obj": page_obj, "results": results}
    return render(request, TEMPLATE, context)
