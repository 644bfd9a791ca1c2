"""Recorded search terms (discovery.search.record_term: the words and a daily
count, never who searched; terms that look like an address or a phone number are
not recorded) are deleted RETENTION["search_terms"] days after the day they were
searched for (privacy.periods). Wagtail's searchpromotions_garbage_collect follows
the same period (WAGTAILSEARCH_HITS_MAX_AGE); a term an editor promotes stays, with
no counts."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from privacy import periods

KINDS = []


def _first_day(now):
    return now.date() - timedelta(days=settings.RETENTION["search_terms"])


def expired_counts(now):
    return QueryDailyHits.objects.filter(date__lt=_first_day(now))


def expired_terms(now):
    """Terms with no count left in the period, unless an editor promotes results
    for them."""
    return Query.objects.exclude(daily_hits__date__gte=_first_day(now)).filter(editors_picks=None)


KINDS.append(
    periods.Kind(
        key="search_terms",
        label=_("Words searched for on the site, with a count per day"),
        period=periods.in_days("search_terms"),
        start=_("after the day of the search"),
        expired=lambda now: {
            "search term(s)": expired_terms(now),
            "daily count(s) of search terms": expired_counts(now),
        },
        order=50,
    )
)
