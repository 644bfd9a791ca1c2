"""Registrations in the admin: one list for all events, filtered per event (its
English, French and Dutch registrations together), exported as CSV or XLSX;
per event a reminder to everyone with a place; per registration a cancellation
that frees the place for the next person waiting.

Only people with the registration permissions see any of it (Editors and
Moderators, by migration); translators do not: it is personal data.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.views import snippets as snippet_views

from events import registering
from events.models import EventPlaces, Registration
from events.tasks import send_reminders
from public_forms.exports import ListingValuesExportMixin
from security.text import IsolatedColumnsMixin

VIEW_PERMISSION = "events.view_registration"
MANAGE_PERMISSION = "events.change_registration"


def url_name(name):
    return Registration.snippet_viewset.get_url_name(name)


class RegistrationFilterSet(WagtailFilterSet):
    places = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Event"), queryset=EventPlaces.objects.order_by("title")
    )

    class Meta:
        model = Registration
        fields = ["places", "status", "language", "diaspora_member"]


class RegistrationIndexView(
    ListingValuesExportMixin, IsolatedColumnsMixin, snippet_views.IndexView
):
    """The listing, and its export with the values it shows (public_forms.exports)."""

    isolated_columns = ("name", "email")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("places")

    @property
    def add_url(self):
        # Nobody is registered by staff: a registration carries the person's own consent.
        return None

    def get_edit_url(self, instance):
        # A name opens the registration's details; cancelling ("edit") is its own,
        # labelled action below, never one click away by mistake.
        return self.get_inspect_url(instance)

    def get_list_more_buttons(self, instance):
        inspect_url = self.get_inspect_url(instance)
        buttons = [
            button
            for button in super().get_list_more_buttons(instance)
            if not (button.url == inspect_url and button.priority == 10)  # "Edit", see above
        ]
        if instance.status != Registration.Status.CANCELLED and self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Cancel the registration"),
                    url=reverse(url_name("edit"), args=[instance.pk]),
                    icon_name="cross",
                    priority=15,
                )
            )
        return buttons

    @cached_property
    def _event_filtered(self):
        """The event chosen in the filter, if exactly one."""
        form = getattr(self, "filters", None)
        if form is None or not form.is_valid():
            return None
        return form.form.cleaned_data.get("places")

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        event = self._event_filtered
        if event and self.request.user.has_perm(MANAGE_PERMISSION):
            buttons.append(
                Button(
                    _("Send a reminder"),
                    url=reverse("events_admin:remind", args=[event.pk]),
                    icon_name="mail",
                    priority=70,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event_places"] = self._event_filtered
        return context


class NoAddView(snippet_views.CreateView):
    def dispatch(self, request, *args, **kwargs):
        messages.warning(
            request, _("People register on the event's page: a registration needs their consent.")
        )
        return redirect(url_name("list"))


class CancelRegistrationView(snippet_views.EditView):
    """Stands in for "Edit": the one change staff make to a registration is to
    cancel it (on the person's request), which frees the place for the next
    person waiting and emails them."""

    def post(self, request, *args, **kwargs):
        cancelled, promoted = registering.cancel(self.object.pk)
        if cancelled:
            text = _("The registration is cancelled.")
            if promoted:
                text += " " + _("The place went to the first person waiting, who is emailed.")
            messages.success(request, text)
        else:
            messages.warning(request, _("This registration was already cancelled."))
        return redirect(url_name("list"))


class DeleteRegistrationView(snippet_views.DeleteView):
    """Deleting a registration first cancels it, so that its place is freed."""

    def delete_action(self):
        registering.cancel(self.object.pk)
        super().delete_action()


class ReminderForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Optional: added as written to every reminder, whatever its language "
            "(for example the room, or what to bring)."
        ),
    )


@require_http_methods(["GET", "POST"])
def remind(request, places_id):
    """Review, then queue a reminder to everyone with a place at the event."""
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied
    places = get_object_or_404(EventPlaces, pk=places_id)
    count = places.registrations.filter(status=Registration.Status.CONFIRMED).count()
    form = ReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if count:
            send_reminders.enqueue(str(places.event_key), form.cleaned_data["note"])
            messages.success(
                request,
                ngettext(
                    "The reminder to %(count)s person is being sent in the background.",
                    "The reminder to %(count)s people is being sent in the background.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.warning(request, _("Nobody has a place at this event yet."))
        return redirect(reverse(url_name("list")) + f"?places={places.pk}")
    return TemplateResponse(
        request,
        "events/admin/remind.html",
        {"places": places, "count": count, "form": form, "page_title": _("Send a reminder")},
    )
