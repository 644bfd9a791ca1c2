"""An issue's results (newsletter.results) as the mailing's page shows them and as
a CSV file, in the language of the staff member (admin_sending checks who may see
them)."""

import csv

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from newsletter.results import COLUMNS, DEPARTURES, results
from security.spreadsheets import spreadsheet_safe


def column_labels():
    """{column: label} in the active language, for the CSV's header."""
    what = {
        "unsubscribed": _("Unsubscribed within %(days)s days"),
        "bounced": _("Bounced within %(days)s days"),
        "complained": _("Marked as spam within %(days)s days"),
        "views": _("Page views within %(days)s days"),
    }
    labels = {"sent": _("Sent"), "failed": _("Failed")}
    for column in COLUMNS[2:]:
        kind, days = column.rsplit("_", 1)
        labels[column] = what[kind] % {"days": days}
    return labels


def _language_names():
    return dict(settings.WAGTAIL_CONTENT_LANGUAGES)


def results_table(mailing, now=None):
    """What the mailing's page shows, one table per window (7 and 30 days: who
    received the issue, who left the list after it, the page's views), or None
    before sending started."""
    found = results(mailing, now)
    if found is None:
        return None
    names = _language_names()

    def values(row, days):
        return (
            [row["sent"]]
            + [row[f"{status}_{days}"] for status in DEPARTURES]
            + [row[f"views_{days}"]]
        )

    return {
        "tables": [
            {
                "window": window,
                "rows": [
                    (names.get(row["language"], row["language"]), values(row, window["days"]))
                    for row in found["rows"]
                ],
                "totals": values(found["totals"], window["days"]),
            }
            for window in found["windows"]
        ],
    }


def csv_response(mailing, now=None):
    """The results as a CSV download, headers in the active language."""
    found = results(mailing, now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mailing-{mailing.pk}-results.csv"'
    writer = csv.writer(response)
    labels = column_labels()
    writer.writerow([_("Language")] + [labels[c] for c in COLUMNS])
    if found is None:
        return response
    names = _language_names()
    for row in found["rows"]:
        name = str(names.get(row["language"], row["language"]))
        writer.writerow([spreadsheet_safe(name)] + [row[c] for c in COLUMNS])
    writer.writerow([_("Total")] + [found["totals"][c] for c in COLUMNS])
    return response
