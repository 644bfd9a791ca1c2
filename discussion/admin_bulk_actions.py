"""The listing's bulk actions: approve, reject, mark as spam, remove. Each calls
`moderation.moderate` once for everything selected, so the discussions' pages are
emptied (and purged from a CDN) once, however many contributions were chosen.
Without the moderate permission, the action is refused (403), not just greyed out."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from discussion import moderation, waiting
from discussion.admin_actions import ReasonForm, success_message
from discussion.models import Contribution


class ModerationBulkAction(SnippetBulkAction):
    models = [Contribution]
    moderation_action = None
    template_name = "discussion/admin/bulk_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(waiting.MODERATE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return self.request.user.has_perm(waiting.MODERATE_PERMISSION)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(model.objects.filter(pk__in=object_ids).select_related("page"))

    def get_execution_context(self):
        reason = ""
        if self.cleaned_form is not None and "reason" in self.cleaned_form.cleaned_data:
            reason = self.cleaned_form.cleaned_data["reason"]
        return {
            **super().get_execution_context(),
            "user": self.request.user,
            "reason": reason,
        }

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        changed = moderation.moderate(objects, cls.moderation_action, user, reason=reason)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return success_message(self.moderation_action, num_parent_objects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        return context


class ApproveBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Approve")
    aria_label = gettext_lazy("Approve the selected contributions")
    action_type = "approve"
    moderation_action = "approve"
    action_priority = 10


class RejectBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Reject")
    aria_label = gettext_lazy("Reject the selected contributions")
    action_type = "reject"
    moderation_action = "reject"
    action_priority = 15
    form_class = ReasonForm


class SpamBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Mark as spam")
    aria_label = gettext_lazy("Mark the selected contributions as spam")
    action_type = "spam"
    moderation_action = "spam"
    action_priority = 20
    classes = {"serious"}


class RemoveBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Remove")
    aria_label = gettext_lazy("Remove the selected published contributions")
    action_type = "remove"
    moderation_action = "remove"
    action_priority = 25
    form_class = ReasonForm
    classes = {"serious"}


class KeepBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Keep, and clear the reports")
    aria_label = gettext_lazy("Keep the selected reported contributions")
    action_type = "keep"
    moderation_action = "keep"
    action_priority = 30


BULK_ACTIONS = [
    ApproveBulkAction,
    RejectBulkAction,
    SpamBulkAction,
    RemoveBulkAction,
    KeepBulkAction,
]
