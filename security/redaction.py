"""No email address reaches the logs or an error report: a logging filter and an
exception reporter filter (both named in the settings)."""

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[^\s@<>\"'(),;:]+")
REDACTED = "[email]"


def redact(text):
    return EMAIL.sub(REDACTED, text)


class RedactEmailsFilter(logging.Filter):
    """A logging filter that replaces every email address in a record's message
    (and in its formatted exception) with "[email]"."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record as it is
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class ExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the 500 email to ADMINS) hide, besides Django's own list,
    every POST value and setting that holds an email address."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|EMAIL|DSN", flags=re.I
    )

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None:
            return parameters
        cleaned = parameters.copy()
        for name, values in parameters.lists():
            if "email" in name.lower() or any(EMAIL.search(str(v)) for v in values):
                cleaned[name] = self.cleansed_substitute
        return cleaned

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [
            (name, self.cleansed_substitute if _mentions_email(name, value) else value)
            for name, value in variables
        ]


def _mentions_email(name, value):
    if "email" in name.lower():
        return True
    try:
        return bool(EMAIL.search(repr(value)[:10_000]))
    except Exception:  # a repr that fails: hide it rather than risk it
        return True
