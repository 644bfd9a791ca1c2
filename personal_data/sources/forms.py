"""Answers to the site's forms: applications to calls for cooperation and survey
and contact answers, found where their answers hold the address (the answer to a
field of type email, or any answer equal to the address, case and surrounding
spaces aside)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import FormSubmission

from privacy.suppression import normalise
from public_forms.models import PublicFormSubmission

KINDS = [
    ("call_applications", _("Applications to calls")),
    ("form_answers", _("Survey and contact form answers")),
]

# Form submission models scanned for the address: the site's own, and Wagtail's
# default (unused by the site's forms, checked should a form ever use it).
SUBMISSION_MODELS = (PublicFormSubmission, FormSubmission)


def _holds(value, email):
    """Whether an answer is the address: a string equal to it (case and spaces
    aside), or a list or mapping of answers holding one."""
    if isinstance(value, str):
        return normalise(value) == email
    if isinstance(value, list | tuple):
        return any(_holds(item, email) for item in value)
    if isinstance(value, dict):
        return any(_holds(item, email) for item in value.values())
    return False


def _call_type_id():
    """The content type of calls for cooperation, when the events app is installed."""
    if not apps.is_installed("events"):
        return None
    return ContentType.objects.get_by_natural_key("events", "callpage").pk


def submissions(email):
    """[(kind, submission)] for every form submission holding the address."""
    call_type_id = _call_type_id()
    found = []
    for model in SUBMISSION_MODELS:
        candidates = model.objects.select_related("page", "page__locale").order_by("submit_time")
        if email.isascii() and '"' not in email and "\\" not in email:
            # Narrowed in the database; each candidate is then checked answer by answer.
            candidates = candidates.annotate(_text=Cast("form_data", TextField())).filter(
                _text__icontains=email
            )
        for submission in candidates.iterator():
            if _holds(submission.form_data, email):
                is_call = submission.page.content_type_id == call_type_id
                found.append(("call_applications" if is_call else "form_answers", submission))
    return found


def _row(submission):
    page = submission.page
    return {
        "id": submission.pk,
        "page_id": page.pk,
        "page_title": page.title,
        "language": page.locale.language_code,
        "submit_time": submission.submit_time,
        "answers": submission.form_data,
        **{
            name: getattr(submission, name)
            for name in ("consent_text", "consent_version", "consent_given_at")
            if hasattr(submission, name)
        },
    }


def export(email):
    data = {key: [] for key, _label in KINDS}
    for kind, submission in submissions(email):
        data[kind].append(_row(submission))
    return data


def erase(email, user):
    result = dict.fromkeys((key for key, _label in KINDS), 0)
    for kind, submission in submissions(email):
        submission.delete()
        result[kind] += 1
    return result
