from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationWorkflowConfig(AppConfig):
    name = "translation_workflow"
    verbose_name = _("Translation workflow")

    def ready(self):
        from translation_workflow.wagtail_localize_interface import (
            patch_string_translation_comment,
        )

        patch_string_translation_comment()
