"""The admin's submissions listing and CSV of a form page, all languages in one.

wagtail-localize gives each language version of a form its own page, so Wagtail
lists each version's answers apart (wagtail-localize #539). A public form page
(`public_forms.models.PublicFormMixin`) returns the submissions of every version as
its own (`get_submissions`, by translation key) and adds a Language column
(`get_data_fields`); this view loads each submission's page and locale with it,
so the listing costs the same number of queries for any number of rows. The
columns line up because a field's key and choice values are the same in every
language; the headings are those of the version opened.

Visitors' answers go into the CSV as text that a spreadsheet program will not run
as a formula (Wagtail's own CSV export keeps a leading "="), a ticked box as Yes
or No and the time in Brussels time (public_forms.exports).

Who may see it is Wagtail's own check (`get_forms_for_user`, which runs the
`filter_form_submissions_for_user` hooks): translators get a refusal.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.views import SubmissionsListView

from public_forms.exports import ListingValuesExportMixin
from security.text import isolated


class CombinedSubmissionsListView(ListingValuesExportMixin, SubmissionsListView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page__locale")

    def get_page_subtitle(self):
        return format_lazy("{} ({})", self.form_page.get_admin_display_title(), _("all languages"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Visitors' answers in <bdi>: a right-to-left answer cannot reorder its row.
        for row in context.get("data_rows", ()):
            row["fields"] = [
                isolated(cell) if isinstance(cell, str) else cell for cell in row["fields"]
            ]
        return context
