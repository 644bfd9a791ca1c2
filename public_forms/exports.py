"""The admin's CSV and XLSX exports (registrations, subscribers, form answers) with
the values their listings show, rather than what the database stores: a choice's
label ("Has a place", not `confirmed`), Yes or No (not True or False), in the
language of the staff member exporting, and times in the site's time zone
(Brussels) to the second, not UTC with microseconds. Visitors' text stays a text
cell that a spreadsheet never runs as a formula.
"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext

from security.spreadsheets import spreadsheet_safe

# How a time is written in the CSV (the XLSX keeps a date cell, shown in the format
# Wagtail derives from SHORT_DATETIME_FORMAT).
CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def local_time(value):
    """An aware time as a naive one in the site's time zone, to the second."""
    if timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value.replace(microsecond=0)


def listing_value(value, export_format, *, csv_format="csv", labels=None):
    """`value` as the listing shows it, for a cell of `export_format`."""
    if labels is not None and value in labels:
        return force_str(labels[value])
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        value = local_time(value)
        return value.strftime(CSV_DATETIME_FORMAT) if export_format == csv_format else value
    return value


def _in_language(language, lines):
    """`lines`, each made with `language` active."""
    while True:
        with translation.override(language):
            line = next(lines, None)
        if line is None:
            return
        yield line


class ListingValuesExportMixin:
    """For a view with Wagtail's SpreadsheetExportMixin, before it in the bases."""

    @cached_property
    def _choice_labels(self):
        """{field name: {stored value: label}} for the exported choice fields."""
        model = getattr(self, "model", None)
        labels = {}
        for name in getattr(self, "list_export", ()):
            try:
                field = model._meta.get_field(name) if model else None
            except FieldDoesNotExist:
                continue
            if field is not None and field.choices:
                labels[name] = dict(field.flatchoices)
        return labels

    def stream_csv(self, queryset):
        """Wagtail streams the CSV after the view has returned, when the admin
        user's language is no longer active: each line is made in it."""
        return _in_language(translation.get_language(), super().stream_csv(queryset))

    def preprocess_field_value(self, field, value, export_format):
        value = listing_value(
            value,
            export_format,
            csv_format=self.FORMAT_CSV,
            labels=self._choice_labels.get(field),
        )
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            value = spreadsheet_safe(value)
        return value
