"""Contact and survey answers (the submissions of every form page whose answers
follow RETENTION["form_answers"]) are deleted that many days after they were sent
(privacy.periods)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from privacy import periods
from public_forms.models import PublicFormMixin, PublicFormSubmission

PERSONAL_MODELS = ["public_forms.publicformsubmission"]
KINDS = []


def form_page_types(retention):
    """The content types of the form pages whose answers follow `retention`."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, PublicFormMixin) and model.submissions_retention == retention
    ]
    return ContentType.objects.get_for_models(*models, for_concrete_models=False).values()


def expired_answers(now):
    return PublicFormSubmission.objects.filter(
        page__content_type__in=list(form_page_types("form_answers")),
        submit_time__lt=periods.cutoff(now, "form_answers"),
    )


KINDS.append(
    periods.Kind(
        key="form_answers",
        label=_("Answers to the contact form and to surveys"),
        period=periods.in_days("form_answers"),
        start=_("after they were sent"),
        expired=lambda now: {"form answer(s)": expired_answers(now)},
        order=30,
    )
)
