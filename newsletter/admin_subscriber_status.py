"""The subscriber's edit form in the admin: who may set which status.

Staff may take someone off the list; putting someone on it needs the person's own
consent. A bounced or complained address gets no email from the public form, so
staff may reinstate it, but only by recording the person's new consent. Checked on
the server: the status offers only what is allowed, and `clean` refuses the rest.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from newsletter.models import Subscriber
from newsletter.subscriptions import record_opt_out
from privacy.suppression import lift


class SubscriberEditForm(WagtailAdminModelForm):
    """Staff may take someone off the list (on their request, say). Putting someone
    on it needs that person's own consent: the form and its confirmation link, or
    the invitation. The one exception: an address that bounced or complained gets
    no email from the public form, so staff may reinstate it, but only by
    recording the person's new consent (when and how it was given). Everything is
    checked here, on the server: the status offers only what is allowed."""

    reinstated_consent_given_at = forms.DateTimeField(
        label=gettext_lazy("New consent given at"),
        required=False,
        help_text=gettext_lazy("When the person asked to receive the newsletter again."),
    )
    reinstated_consent_source = forms.CharField(
        label=gettext_lazy("How the new consent was given"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "For example: “Their email of 3 December asking to receive it again”."
        ),
    )

    REINSTATABLE = (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status or Subscriber.Status.PENDING
        allowed = {current}
        if current in (
            Subscriber.Status.CONFIRMED,
            Subscriber.Status.PENDING,
            Subscriber.Status.INVITED,
        ):
            allowed.add(Subscriber.Status.UNSUBSCRIBED)
        if current in self.REINSTATABLE:
            allowed.add(Subscriber.Status.CONFIRMED)
        else:
            del self.fields["reinstated_consent_given_at"]
            del self.fields["reinstated_consent_source"]
        self.fields["status"].choices = [
            (value, label) for value, label in Subscriber.Status.choices if value in allowed
        ]
        self.previous_status = current

    @property
    def reinstating(self):
        return (
            self.previous_status in self.REINSTATABLE
            and self.cleaned_data.get("status") == Subscriber.Status.CONFIRMED
        )

    def clean(self):
        cleaned = super().clean()
        if not self.reinstating:
            return cleaned
        given_at = cleaned.get("reinstated_consent_given_at")
        source = (cleaned.get("reinstated_consent_source") or "").strip()
        required = _("To reinstate this address, record the person’s new consent.")
        if not given_at:
            self.add_error("reinstated_consent_given_at", required)
        elif given_at > timezone.now():
            self.add_error("reinstated_consent_given_at", _("This date is in the future."))
        elif self.instance.status_changed_at and given_at <= self.instance.status_changed_at:
            self.add_error(
                "reinstated_consent_given_at",
                _("The new consent must be later than the bounce or the complaint."),
            )
        if not source:
            self.add_error("reinstated_consent_source", required)
        return cleaned

    def save(self, commit=True):
        if "status" in self.changed_data:
            now = timezone.now()
            self.instance.status_changed_at = now
            if self.instance.status == Subscriber.Status.UNSUBSCRIBED:
                self.instance.unsubscribed_at = now
            if self.reinstating:
                self.instance.confirmed_at = now
                self.instance.consent_text_version = ""
                self.instance.consent_given_at = self.cleaned_data["reinstated_consent_given_at"]
                self.instance.consent_source = "admin: " + " ".join(
                    self.cleaned_data["reinstated_consent_source"].split()
                )
        subscriber = super().save(commit=commit)
        if "status" in self.changed_data:
            if self.reinstating:
                lift(subscriber.email)
            else:
                record_opt_out(subscriber)
        return subscriber
