"""What calendar apps have been told about an event.

A calendar app that imported an event's .ics (from a feed, a download or a
registration email) keeps its copy until a newer one arrives, and "newer" is
read from `SEQUENCE`, then `DTSTAMP` (RFC 5545 3.8.7.4, and RFC 5546 for
emails). So each event keeps a sequence number, raised whenever the English page
is published with another date, time or place, and the time of that change. One
row per event, keyed like `EventPlaces` by the pages' shared translation key: the
French and Dutch files take the English page's dates before their translation is
synchronised, so their own `last_published_at` cannot tell when the date moved.
"""

import hashlib

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What puts an entry at another time or place in a calendar.
SCHEDULE_FIELDS = (
    "start",
    "end",
    "all_day",
    "date_to_be_announced",
    "venue_name",
    "venue_address",
    "city",
    "online_url",
)


def schedule_digest(page):
    """A digest of the page's date, time and place."""
    values = "\x1f".join(repr(getattr(page, name)) for name in SCHEDULE_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()


class CalendarEntryQuerySet(models.QuerySet):
    def record(self, page):
        """Note the published English `page`'s schedule: a schedule that differs
        from the one last noted raises the sequence and stamps the change."""
        digest = schedule_digest(page)
        # An event first seen after it was published before (this release's
        # upgrade) may have just moved, and nothing tells from what: count it as
        # one change, so calendar apps replace what they hold.
        published_before = page.first_published_at != page.last_published_at
        entry, created = self.get_or_create(
            event_key=page.translation_key,
            defaults={
                "schedule_digest": digest,
                "changed_at": timezone.now(),
                "sequence": 1 if published_before else 0,
            },
        )
        if not created and entry.schedule_digest != digest:
            entry.sequence += 1
            entry.schedule_digest = digest
            entry.changed_at = timezone.now()
            entry.save(update_fields=["sequence", "schedule_digest", "changed_at"])
        return entry

    def stamps(self, pages):
        """{translation key: (sequence, changed_at)} for `pages`: read from
        `with_calendar_entries`' annotations, the others fetched in one query."""
        found, missing = {}, set()
        for page in pages:
            if hasattr(page, "calendar_sequence"):
                found[page.translation_key] = (
                    page.calendar_sequence or 0,
                    page.calendar_changed_at,
                )
            else:
                missing.add(page.translation_key)
        for entry in self.filter(event_key__in=missing):
            found[entry.event_key] = (entry.sequence, entry.changed_at)
        return found


def with_calendar_entries(queryset):
    """An EventPage `queryset` carrying each event's sequence and last change, so
    that a feed costs no query more."""
    entry = CalendarEntry.objects.filter(event_key=OuterRef("translation_key"))
    return queryset.annotate(
        calendar_sequence=Subquery(entry.values("sequence")[:1]),
        calendar_changed_at=Subquery(entry.values("changed_at")[:1]),
    )


class CalendarEntry(models.Model):
    event_key = models.UUIDField(
        _("event"), unique=True, help_text=_("The translation key of the event's pages.")
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    changed_at = models.DateTimeField(_("date, time or place changed on"), default=timezone.now)
    schedule_digest = models.CharField(max_length=64)

    objects = CalendarEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")

    def __str__(self):
        return f"{self.event_key} #{self.sequence}"
