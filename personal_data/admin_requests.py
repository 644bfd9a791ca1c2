"""Settings → Personal data: find, export and erase everything stored about one
email address (see personal_data.records).

Only users with `privacy.manage_personal_data` see the menu item and may use the
view (superusers have it; no group is given it by default: grant it in Settings →
Groups to whoever answers people's requests). Every step is a POST with a CSRF
token, so the address never appears in a URL (nor in the server's access logs),
and the form's fields are hidden from Django's error reports.
"""

import json
import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from personal_data import records as personal_data

logger = logging.getLogger(__name__)

PERMISSION = "privacy.manage_personal_data"


def can_manage(user):
    return user.is_active and user.has_perm(PERMISSION)


class AddressForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address of the person who asked for their data or its erasure."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


@method_decorator([never_cache, sensitive_post_parameters("email")], name="dispatch")
class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "personal_data/admin/personal_data.html"
    page_title = _("Personal data")
    header_icon = "user"
    breadcrumbs_items = []  # the plain header

    def dispatch(self, request, *args, **kwargs):
        if not can_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=AddressForm()))

    def post(self, request):
        form = AddressForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        email = personal_data.normalise(form.cleaned_data["email"])
        action = request.POST.get("action", "find")
        if action == "export":
            return self.export(email)
        if action == "erase" and request.POST.get("confirm") == "yes":
            return self.erase(email, form)
        data = personal_data.export(email)
        context = self.get_context_data(
            form=form,
            email=email,
            kinds=self.kinds(data),
            total=sum(personal_data.counts(data).values()),
            suppressed_on=data["suppressed_on"],
            confirm_erase=action == "erase",
        )
        return self.render_to_response(context)

    def kinds(self, data):
        """Per kind: its label, its count and its rows as table cells."""
        return [
            {
                "key": key,
                "label": label,
                "count": len(data[key]),
                "headers": [header for _name, header in COLUMNS[key]],
                "rows": [[_cell(row, name) for name, _header in COLUMNS[key]] for row in data[key]],
            }
            for key, label in personal_data.KINDS
        ]

    def export(self, email):
        data = personal_data.export(email)
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = f"personal-data-{personal_data.pseudonym(email)}-{timezone.localdate():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        logger.info(
            "Personal data of address %s exported by user %s",
            personal_data.pseudonym(email),
            self.request.user.pk,
        )
        return response

    def erase(self, email, form):
        erased = personal_data.erase(email, user=self.request.user)
        context = self.get_context_data(
            form=AddressForm(),
            erased=[
                {"label": label, "count": erased[key], "key": key}
                for key, label in personal_data.KINDS
            ],
            promoted=erased["promoted"],
        )
        return self.render_to_response(context)


def _cell(row, path):
    """The value at a dotted path ("subscriber.status") of an exported row."""
    for name in path.split("."):
        row = row.get(name) if isinstance(row, dict) else None
    return row


# The columns the admin shows for each kind (the JSON export holds every field).
COLUMNS = {
    "newsletter_subscribers": [
        ("subscriber.status", _("Status")),
        ("subscriber.language", _("Language")),
        ("subscriber.created_at", _("Signed up on")),
    ],
    "newsletter_deliveries": [
        ("issue_title", _("Issue")),
        ("status", _("Status")),
        ("sent_at", _("Sent at")),
    ],
    "event_registrations": [
        ("event", _("Event")),
        ("status", _("Status")),
        ("created_at", _("Registered on")),
    ],
    "call_applications": [
        ("page_title", _("Call")),
        ("language", _("Language")),
        ("submit_time", _("Sent at")),
    ],
    "form_answers": [
        ("page_title", _("Form")),
        ("language", _("Language")),
        ("submit_time", _("Sent at")),
    ],
    "event_proposals": [
        ("page_title", _("Draft event")),
        ("language", _("Language")),
        ("created_at", _("Proposed at")),
    ],
    "discussion_authors": [
        ("language", _("Language")),
        ("confirmed_at", _("Address confirmed on")),
        ("notifications", _("Emails about contributions")),
    ],
    "discussion_contributions": [
        ("page_title", _("Page")),
        ("state", _("Status")),
        ("created_at", _("Posted on")),
    ],
    "admin_log_entries": [
        ("action", _("Action")),
        ("timestamp", _("Date")),
    ],
}


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage(request.user)
