from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicFormsConfig(AppConfig):
    name = "public_forms"
    verbose_name = _("Public forms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Wagtail's admin views cannot be imported before the models are ready: the
        # form pages' submissions listing (all languages in one) is set here.
        import public_forms.notifications  # noqa: F401 - connects the staff's email
        from public_forms.models import PublicFormMixin
        from public_forms.submissions import CombinedSubmissionsListView

        PublicFormMixin.submissions_list_view_class = CombinedSubmissionsListView
