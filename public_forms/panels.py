"""The page editor's count of a form's answers."""

from django.utils.functional import cached_property
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.forms.utils import get_forms_for_user


class CombinedSubmissionsPanel(FormSubmissionsPanel):
    """The submissions count in the page editor: all language versions together, and
    shown only to whoever may read them. Wagtail decides that (`get_forms_for_user`,
    with its `filter_form_submissions_for_user` hooks: translators see none, since
    submissions hold personal data)."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        @cached_property
        def submissions(self):
            if not self.instance.pk:
                return self.instance.get_submission_class().objects.none()
            return self.instance.get_submissions()

        def is_shown(self):
            if not self.instance.pk:
                return False
            may_read = get_forms_for_user(self.request.user).filter(pk=self.instance.pk)
            return may_read.exists() and super().is_shown()
