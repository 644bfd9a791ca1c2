"""What every form page of the site shares (the survey and contact form, the
application forms of calls for cooperation).

- `TranslatableFormField`: a field staff define in the admin. Its internal key
  (`clean_name`) and its choices are synchronised, never translated, so that every
  language version stores the same keys and values (wagtail-localize #539); labels,
  help text and the choices' display text (`choice_labels`) are translated.
- `PublicFormSubmission`: a stored answer, with the consent it was given under.
- `PublicFormMixin`: the page side. The form carries no CSRF token (the page is
  cached for anonymous visitors) and posts to `public_forms.views.submit_form`, which
  checks origin, rate and honeypot first; a required consent checkbox closes the
  form; the admin's submissions listing and CSV of any language version hold the
  answers of all of them, with a language column.
"""

from django import forms
from django.db import models
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.forms.models import AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from public_forms.forms import CONSENT_FIELD, PublicFormBase
from public_forms.guards import HONEYPOT_FIELD
from public_forms.signals import answer_stored

# The standard consent, shown when a form page sets no text of its own. Whenever its
# meaning changes, change the version too: each submission records the version (and
# the text, in the visitor's language) it was given under.
CONSENT_TEXT_VERSION = "forms-2026-11"
CONSENT_TEXT = _(
    "I agree to IOM Belgium and Luxembourg keeping what I send with this form, to deal "
    "with it and for no other purpose. I can ask for it to be deleted at any time."
)

# Keys the form or a submission's data already uses: a staff-made field must not take
# them, or its answers would overwrite (or be overwritten by) these.
RESERVED_FIELD_NAMES = frozenset(
    {HONEYPOT_FIELD, CONSENT_FIELD, "submit_time", "language", "consent_text"}
)


class TranslatableFormField(TranslatableMixin, AbstractFormField):
    """A form field whose answers line up across the form's language versions."""

    choice_labels = models.TextField(
        _("choice labels"),
        blank=True,
        help_text=_(
            "Optional: the text visitors see for each choice, one per line in the same "
            "order as the choices. Translators translate these; the choices themselves "
            "are what is stored, the same in every language."
        ),
    )

    panels = [
        *AbstractFormField.panels,
        FieldPanel("choice_labels"),
    ]
    translatable_fields = [
        TranslatableField("label"),
        TranslatableField("help_text"),
        TranslatableField("default_value"),
        TranslatableField("choice_labels"),
        SynchronizedField("clean_name"),
        SynchronizedField("choices"),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        abstract = True

    def get_field_clean_name(self):
        name = get_field_clean_name(self.label)
        return f"{name}_answer" if name in RESERVED_FIELD_NAMES else name


class PublicFormSubmission(AbstractFormSubmission):
    """An answer to a form page, with the consent the visitor gave to send it."""

    consent_text = models.TextField(
        _("consent text"), help_text=_("What the visitor agreed to, as they read it.")
    )
    consent_version = models.CharField(_("consent version"), max_length=100)
    consent_given_at = models.DateTimeField(_("consent given at"))

    class Meta(AbstractFormSubmission.Meta):
        # The table it had when it lived in home/: the rows stayed where they were.
        db_table = "home_publicformsubmission"
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def get_data(self):
        """The answers, plus the columns of the combined listing: the language
        version it was sent from (load with `select_related("page__locale")`) and the
        consent."""
        return {
            **self.form_data,
            "submit_time": self.submit_time,
            "language": self.page.locale.language_code,
            CONSENT_FIELD: self.consent_version,
        }


class PublicFormMixin(models.Model):
    """For a page that is also a Wagtail form (FormMixin): put it first in the bases."""

    consent_text = models.TextField(
        _("consent text"),
        blank=True,
        help_text=format_lazy(
            "{} “{}”",
            _(
                "What visitors agree to by ticking the box at the end of the form, in "
                "this page's language. Leave empty for the standard text:"
            ),
            CONSENT_TEXT,
        ),
    )

    # The RETENTION period its answers follow (public_forms/retention.py deletes
    # them); a page type whose answers follow another period names it and registers
    # their purge itself (the calls' applications: events/retention.py).
    submissions_retention = "form_answers"

    class Meta:
        abstract = True

    # --- The public form ------------------------------------------------------

    @property
    def form_action_url(self):
        """Where the form posts: one never-cached view (public_forms.views)."""
        if self.pk is None:  # previewing a page not yet saved
            return ""
        with translation.override(self.locale.language_code):
            return reverse("form_submit", args=[self.pk])

    def get_consent(self):
        """(text, version) of the consent this page's form asks for."""
        if self.consent_text.strip():
            return self.consent_text.strip(), f"page {self.pk} revision {self.live_revision_id}"
        return str(CONSENT_TEXT), CONSENT_TEXT_VERSION

    def get_form_class(self):
        questions = super().get_form_class()
        return type(
            "PublicPageForm",
            (PublicFormBase, questions),
            {
                CONSENT_FIELD: forms.BooleanField(
                    label=self.get_consent()[0],
                    error_messages={
                        "required": _("Please tick the box to agree, or we cannot take your form.")
                    },
                ),
                HONEYPOT_FIELD: forms.CharField(
                    label=_("Leave this field empty"),
                    required=False,
                    widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
                ),
            },
        )

    def submission_refusal(self, request):
        """A response refusing any submission now (a closed call), or None."""
        return None

    def serve(self, request, *args, **kwargs):
        # Answers are posted to public_forms.views.submit_form, which protects itself
        # without a CSRF token; the page's own URL takes none.
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().serve(request, *args, **kwargs)

    def serve_post(self, request):
        """Take a POST the form view has let through: the landing page once stored,
        else the form with its errors (400), nothing stored."""
        form = self.get_form(request.POST, page=self, user=request.user)
        if form.is_valid():
            submission = self.process_form_submission(form)
            return self.render_landing_page(request, submission)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=400)

    def process_form_submission(self, form):
        data = dict(form.cleaned_data)
        data.pop(HONEYPOT_FIELD, None)
        data.pop(CONSENT_FIELD)
        form.cleaned_data = data  # the notification email lists the answers only
        consent_text, consent_version = self.get_consent()
        submission = self.get_submission_class().objects.create(
            form_data=data,
            page=self,
            consent_text=consent_text,
            consent_version=consent_version,
            consent_given_at=timezone.now(),
        )
        # Staff's email, if the page has "to" addresses, is queued (notifications.py).
        answer_stored.send(sender=type(self), submission=submission)
        return submission

    # --- Submissions in the admin ---------------------------------------------

    def get_submission_class(self):
        return PublicFormSubmission

    def get_submissions(self):
        """The submissions of every language version of this form."""
        return self.get_submission_class().objects.filter(
            page__translation_key=self.translation_key
        )

    def get_data_fields(self):
        submit_time, *questions = super().get_data_fields()
        return [
            submit_time,
            ("language", _("Language")),
            *questions,
            (CONSENT_FIELD, _("Consent")),
        ]
