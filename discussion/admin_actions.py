"""A moderator's actions on one contribution, from its page in the admin: approve,
reject, mark as spam, remove (discussion.moderation), and answer as the office.
Each is a POST checked on the server for the moderate permission; the listing's
bulk actions (discussion.admin_bulk_actions) do the same to many at once."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from discussion import moderation, waiting
from discussion.forms import OfficeAnswerForm
from discussion.models import TEXT_MAX_LENGTH, Contribution
from security.text import VisibleTextFields, no_html

State = Contribution.State

# The buttons, in order; rejecting and removing tell the author a reason.
ACTION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "spam": gettext_lazy("Mark as spam"),
    "remove": gettext_lazy("Remove"),
    "keep": gettext_lazy("Keep, and clear the reports"),
}
WITH_REASON = ("reject", "remove")


class ReasonForm(VisibleTextFields, forms.Form):
    """The reason a rejected or removed contribution's author is told."""

    reason = forms.CharField(
        label=gettext_lazy("Reason, told to the author"),
        help_text=gettext_lazy(
            "Sent to the author by email, with the house rules. Leave empty to send none."
        ),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].replace("\r\n", "\n").strip()


def require_moderator(user):
    if not user.has_perm(waiting.MODERATE_PERMISSION):
        raise PermissionDenied


def available_actions(contribution):
    """[(action, label, reason form or None)] that apply to the contribution's state."""
    return [
        (action, label, ReasonForm(prefix=action) if action in WITH_REASON else None)
        for action, label in ACTION_LABELS.items()
        if contribution.state in moderation.ACTIONS[action][0]
        and (action != "keep" or contribution.report_count)
    ]


def success_message(action, count):
    if not count:
        return _("Nothing changed: the contributions were already moderated.")
    messages_for = {
        "approve": _("Published: %(count)s."),
        "reject": _("Rejected: %(count)s."),
        "spam": _("Marked as spam: %(count)s."),
        "remove": _("Removed: %(count)s."),
        "keep": _("Kept, reports cleared: %(count)s."),
    }
    return messages_for[action] % {"count": count}


def _inspect_url(contribution):
    return reverse(Contribution.snippet_viewset.get_url_name("inspect"), args=[contribution.pk])


@require_POST
def moderate_one(request, pk):
    require_moderator(request.user)
    contribution = get_object_or_404(Contribution, pk=pk)
    action = request.POST.get("action")
    if action not in ACTION_LABELS:
        messages.error(request, _("Unknown action."))
        return redirect(_inspect_url(contribution))
    reason = ""
    if action in WITH_REASON:
        form = ReasonForm(request.POST, prefix=action)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("reason", [])))
            return redirect(_inspect_url(contribution))
        reason = form.cleaned_data["reason"]
    count = moderation.moderate([contribution], action, request.user, reason=reason)
    messages.success(request, success_message(action, count))
    return redirect(_inspect_url(contribution))


def thread_of(contribution):
    return contribution.parent if contribution.parent_id else contribution


def can_answer(contribution):
    """The office answers a published thread (a reply answers its thread)."""
    thread = thread_of(contribution)
    return thread.state == State.APPROVED and not contribution.is_office_answer


@require_http_methods(["GET", "POST"])
def answer(request, pk):
    """The office's answer under a contribution's thread, published at once."""
    require_moderator(request.user)
    contribution = get_object_or_404(Contribution.objects.select_related("parent", "page"), pk=pk)
    if not can_answer(contribution):
        messages.warning(request, _("Only a published contribution can be answered."))
        return redirect(_inspect_url(contribution))
    form = OfficeAnswerForm(request.POST or None, initial={"language": contribution.language})
    if request.method == "POST" and form.is_valid():
        answer = moderation.answer_as_office(
            contribution, form.cleaned_data["text"], form.cleaned_data["language"], request.user
        )
        messages.success(request, _("The office's answer is published."))
        return redirect(_inspect_url(answer))
    return TemplateResponse(
        request,
        "discussion/admin/answer.html",
        {
            "contribution": contribution,
            "form": form,
            "inspect_url": _inspect_url(contribution),
            "page_title": _("Answer as the office"),
        },
    )
