"""The email telling staff of a new answer to a form page (its "to" addresses, as
Wagtail's email forms do), sent by the "emails" task worker after the answer is
stored: a slow mail server never holds up the visitor, and a failure loses nothing.
The task takes the answer's id; the email is written from what was stored."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.tasks import task
from django.utils import translation

from public_forms.models import PublicFormSubmission
from public_forms.signals import answer_stored

logger = logging.getLogger(__name__)


@receiver(answer_stored)
def queue_notice(sender, submission, **kwargs):
    if getattr(submission.page.specific, "to_address", ""):
        transaction.on_commit(lambda: notify_staff.enqueue(submission.pk), robust=True)


def _text(value):
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


@task(backend="emails")
def notify_staff(submission_id):
    """Wagtail's notification (`EmailFormMixin.send_mail`), written from the stored
    answer: each question's label in the page's language, then the answer."""
    submission = PublicFormSubmission.objects.filter(pk=submission_id).first()
    if submission is None:  # erased in the meantime
        return False
    page = submission.page.specific
    with translation.override(page.locale.language_code):
        form = page.get_form(page=page, user=None)  # its fields give labels and order
        lines = [
            f"{field.label}: {_text(submission.form_data[field.name])}"
            for field in form
            if field.name in submission.form_data
        ]
    addresses = [address.strip() for address in page.to_address.split(",")]
    try:
        send_mail(page.subject, "\n".join(lines), page.from_address, addresses)
    except Exception as error:  # noqa: BLE001 - the answer is stored; logged without data
        logger.error("Could not email submission %s: %s", submission_id, type(error).__name__)
        return False
    return True
