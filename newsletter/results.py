"""What became of an issue once sent, per language, without tracking anyone:
how many received it and how many could not, how many of those who received it
left the list (unsubscribed, bounced, complained) within 7 and 30 days, and how
many times the issue's page was viewed on the site in those days.

- **Delivered / failed**: the mailing's Delivery rows, `sent` and `failed`.
- **Left the list**: deliveries `sent` whose subscriber's status is now
  `unsubscribed`, `bounced` or `complained`, changed (`status_changed_at`) after
  that delivery was sent and before the window's end (the mailing's start plus 7 or
  30 days). Every path that removes someone sets those two fields: the
  unsubscribe link and its one-click POST, the webhooks' and the mailbox's bounces
  and complaints, staff in the admin. A person who came back since is no longer
  counted (the status is today's), and one leaving after two issues close together
  counts for both.
- **Erased or deleted subscribers** keep counting: when a subscriber row is deleted
  (an erasure, a retention purge), their deliveries of this kind keep the status
  and when it changed (`Delivery.left_as`, `left_at`; see `keep_departure`), with
  no link to anyone.
- **Views**: the page views counted by the page cache (pagecache.views_count) for
  the issue's page in each language, on the day sending started and the 6 (or 29)
  days after it (days in the site's time zone).

Everything is counted in SQL: one query for the deliveries, one for the issue's
pages, one for their views, whatever the number of deliveries.
"""

import datetime

from django.conf import settings
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from newsletter.models import Delivery, NewsletterIssuePage, Subscriber
from pagecache.views_count import flush, views_in_windows

WINDOWS = (7, 30)
DEPARTURES = (
    Subscriber.Status.UNSUBSCRIBED,
    Subscriber.Status.BOUNCED,
    Subscriber.Status.COMPLAINED,
)
#: The columns of a row, in order (besides the language).
COLUMNS = (
    "sent",
    "failed",
    *(f"{status}_{days}" for days in WINDOWS for status in DEPARTURES),
    *(f"views_{days}" for days in WINDOWS),
)


def keep_departure(sender, instance, **kwargs):
    """pre_delete receiver for Subscriber: before the deliveries lose their link,
    they keep how the person left the list, if they did."""
    if instance.status in DEPARTURES and instance.status_changed_at:
        Delivery.objects.filter(subscriber_id=instance.pk, status=Delivery.Status.SENT).update(
            left_as=instance.status, left_at=instance.status_changed_at
        )


def _window_ends(start):
    return {days: start + datetime.timedelta(days=days) for days in WINDOWS}


def _delivery_counts(mailing, ends):
    sent = Q(status=Delivery.Status.SENT)
    aggregates = {
        "sent": Count("pk", filter=sent),
        "failed": Count("pk", filter=Q(status=Delivery.Status.FAILED)),
    }
    for days, end in ends.items():
        for status in DEPARTURES:
            aggregates[f"{status}_{days}"] = Count(
                "pk",
                filter=sent & Q(gone_as=status, gone_at__gte=F("sent_at"), gone_at__lt=end),
            )
    rows = (
        Delivery.objects.filter(mailing=mailing)
        .alias(
            gone_as=Coalesce(NullIf("left_as", Value("")), "subscriber__status"),
            gone_at=Coalesce("left_at", "subscriber__status_changed_at"),
        )
        .order_by()
        .values("language")
        .annotate(**aggregates)
    )
    return {row.pop("language"): row for row in rows}


def _view_counts(mailing, start):
    pages = dict(
        NewsletterIssuePage.objects.filter(translation_key=mailing.issue_key).values_list(
            "locale__language_code", "pk"
        )
    )
    flush(pages.values())  # the counts waiting in the cache, so that they are current
    first = timezone.localdate(start)
    windows = {
        f"views_{days}": (first, first + datetime.timedelta(days=days - 1)) for days in WINDOWS
    }
    views = views_in_windows(pages.values(), windows)
    return {language: views.get(pk, {}) for language, pk in pages.items()}


def results(mailing, now=None):
    """{"rows": [{language code, every COLUMNS value}, ...] in settings.LANGUAGES
    order, "totals": {column: value}, "windows": [{days, ends, complete}]}, or None
    before sending started."""
    start = mailing.started_at
    if start is None:
        return None
    now = now or timezone.now()
    ends = _window_ends(start)
    deliveries = _delivery_counts(mailing, ends)
    views = _view_counts(mailing, start)
    rows = []
    for code, _name in settings.LANGUAGES:
        values = {**deliveries.get(code, {}), **views.get(code, {})}
        rows.append({"language": code, **{column: values.get(column, 0) for column in COLUMNS}})
    totals = {column: sum(row[column] for row in rows) for column in COLUMNS}
    windows = [{"days": days, "ends": end, "complete": now >= end} for days, end in ends.items()]
    return {"rows": rows, "totals": totals, "windows": windows, "started": start}
