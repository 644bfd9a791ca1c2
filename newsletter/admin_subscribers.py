"""The subscribers' admin views beyond Wagtail's own (used by SubscriberViewSet in
wagtail_hooks.py): the listing with its CSV/XLSX export and actions, importing the
old mailing list, sending the invitations, and each person's data export and
erasure (GDPR).

Permissions, checked on the server in every view:
- see the list, export it, export one person's data: view or change subscribers;
- import contacts: add subscribers;
- send the invitations: add subscribers *and* `newsletter.send_newsletter` (it
  emails many people who have not consented yet; Editors may send issues, but
  inviting belongs to whoever manages the list);
- erase a person: delete subscribers.
"""

import json
import logging

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views

from newsletter import gdpr, importing, invitations
from newsletter.models import Delivery, Subscriber
from public_forms.exports import ListingValuesExportMixin
from security.text import IsolatedColumnsMixin

logger = logging.getLogger(__name__)

SEND_PERMISSION = "newsletter.send_newsletter"
# Invalid rows listed on the import page (all are counted).
MAX_ERRORS_SHOWN = 500


def url_name(name):
    return Subscriber.snippet_viewset.get_url_name(name)


def can_send_invitations(user):
    return user.has_perms([SEND_PERMISSION, "newsletter.add_subscriber"])


class SubscriberIndexView(ListingValuesExportMixin, IsolatedColumnsMixin, snippet_views.IndexView):
    """The listing: filters, search, the CSV/XLSX export of what is listed (with
    the values the listing shows: public_forms.exports), and
    per row "Export data" and "Erase" instead of "Delete". The address is shown
    in <bdi> (security/text.py)."""

    isolated_columns = ("email",)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.is_export:
            queryset = queryset.prefetch_related("countries")
        return queryset

    def to_row_dict(self, item):
        row = {}
        for name in self.list_export:
            if name == "countries":
                row[name] = ", ".join(sorted(page.title for page in item.countries.all()))
            else:
                row[name] = getattr(item, name)
        return row

    def get_list_more_buttons(self, instance):
        buttons = []
        delete_url = self.get_delete_url(instance)
        for button in super().get_list_more_buttons(instance):
            if delete_url and button.url == delete_url:
                button = MenuItem(
                    _("Erase"), url=button.url, icon_name="bin", priority=button.priority
                )
            buttons.append(button)
        if self.user_has_any_permission({"view", "change"}):
            buttons.append(
                MenuItem(
                    _("Export data"),
                    url=reverse(url_name("export_data"), args=(quote(instance.pk),)),
                    icon_name="download",
                    priority=25,
                )
            )
        return buttons

    @property
    def add_url(self):
        # No "Add subscriber": people join through the form (double opt-in) or an
        # accepted invitation; staff bring in the old list with "Import contacts".
        return None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("add"):
            buttons.append(
                Button(
                    _("Import contacts"),
                    url=reverse(url_name("import")),
                    icon_name="upload",
                    priority=70,
                )
            )
        if can_send_invitations(self.request.user):
            buttons.append(
                Button(
                    _("Send invitations"),
                    url=reverse(url_name("invitations")),
                    icon_name="mail",
                    priority=71,
                )
            )
        return buttons


class SubscriberInspectView(snippet_views.InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = []
        delete_url = self.get_delete_url()
        for button in super().header_more_buttons:
            if delete_url and button.url == delete_url:
                button = Button(_("Erase"), url=button.url, icon_name="bin", priority=20)
            buttons.append(button)
        if self.user_has_any_permission({"view", "change"}):
            buttons.append(
                Button(
                    _("Export data"),
                    url=reverse(url_name("export_data"), args=(quote(self.object.pk),)),
                    icon_name="download",
                    priority=15,
                )
            )
        return buttons


class EraseView(snippet_views.DeleteView):
    """Wagtail's delete view, erasing: the person's row and admin log entries go,
    their deliveries stay without the address (see newsletter.gdpr)."""

    page_title = gettext_lazy("Erase")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliveries"] = Delivery.objects.filter(subscriber=self.object).count()
        return context

    def delete_action(self):
        self.kept = gdpr.erase(self.object, user=self.request.user)

    def get_success_message(self):
        return ngettext(
            "The subscriber is erased. %(count)s delivery record is kept, without the address.",
            "The subscriber is erased. %(count)s delivery records are kept, without the address.",
            self.kept,
        ) % {"count": self.kept}


@method_decorator(never_cache, name="dispatch")
class ExportDataView(PermissionCheckedMixin, View):
    """Everything stored about one subscriber, as a JSON file (right of access)."""

    model = Subscriber
    any_permission_required = ["view", "change"]

    def get(self, request, pk):
        subscriber = get_object_or_404(Subscriber, pk=unquote(str(pk)))
        data = gdpr.subscriber_data(subscriber)
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscriber-{subscriber.pk}.json"'
        logger.info("Data of subscriber %s exported by user %s", subscriber.pk, request.user.pk)
        return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "A header line “email,language”, then one contact per line; the language is "
            "en, fr or nl. Commas or semicolons. At most 2 MB and 20,000 contacts."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file, import nothing"), required=False
    )


class UnderSubscribersMixin:
    """Breadcrumbs of a page below the subscribers' listing."""

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name("list")), "label": _("Subscribers")},
            {"url": "", "label": self.get_page_title()},
        ]


class ImportView(
    UnderSubscribersMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Upload the old mailing list. Every row is checked first; a file that cannot
    be read stores nothing; otherwise new addresses become invited contacts, known
    ones are skipped, and invalid rows are listed by line."""

    model = Subscriber
    permission_required = "add"
    form_class = ImportForm
    template_name = "newsletter/subscribers_admin/import.html"
    page_title = gettext_lazy("Import contacts")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_send_invitations"] = can_send_invitations(self.request.user)
        context["invitations_url"] = reverse(url_name("invitations"))
        context["max_errors_shown"] = MAX_ERRORS_SHOWN
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            if upload.size > importing.MAX_BYTES:
                raise importing.UnusableFile(
                    _("The file is too large (at most %(size)s MB).")
                    % {"size": importing.MAX_BYTES // 1024 // 1024}
                )
            result = importing.import_contacts(upload.read(), dry_run=form.cleaned_data["dry_run"])
        except importing.UnusableFile as problem:
            form.add_error("file", str(problem))
            return self.form_invalid(form)
        if result.stored:
            logger.info(
                "Contacts imported by user %s: %s created, %s skipped, %s invalid",
                self.request.user.pk,
                result.created,
                result.skipped,
                result.invalid,
            )
        context = self.get_context_data(form=self.form_class(), result=result)
        return self.render_to_response(context)


class InvitationsView(UnderSubscribersMixin, WagtailAdminTemplateMixin, TemplateView):
    """Send each imported contact its one invitation, in the background."""

    template_name = "newsletter/subscribers_admin/invitations.html"
    page_title = gettext_lazy("Send invitations")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not can_send_invitations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["waiting"] = invitations.uninvited().count()
        context["valid_days"] = invitations.invitation_days()
        return context

    def post(self, request):
        waiting = invitations.uninvited().count()
        if not waiting:
            messages.warning(request, _("Every imported contact has had its invitation."))
            return redirect(url_name("invitations"))
        invitations.send_invitations.enqueue()
        logger.info("Invitations queued by user %s for %s contacts", request.user.pk, waiting)
        messages.success(
            request,
            ngettext(
                "The invitation to %(count)s contact is being sent in the background.",
                "The invitations to %(count)s contacts are being sent in the background.",
                waiting,
            )
            % {"count": waiting},
        )
        return redirect(url_name("list"))


class NoAddView(View):
    """Stands in for the snippet "add" view: a subscriber is never typed in by staff
    (it would carry no consent). The import, which makes invited contacts, is the
    way to add addresses."""

    def dispatch(self, request, *args, **kwargs):
        messages.warning(
            request,
            _(
                "Subscribers join through the subscription form or an invitation. To "
                "bring in addresses, import them as invited contacts."
            ),
        )
        return redirect(url_name("import"))
