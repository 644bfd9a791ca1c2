"""Admin views to send an issue: a test to a staff address, and the real thing to
subscribers (with a confirmation step showing how many per language), and the
progress of a mailing."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import mailers
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Locale

from home.models import CountryPage, country_choices
from newsletter import sending
from newsletter.admin_results import csv_response, results_table
from newsletter.issue_email import render_issue, version_for
from newsletter.models import Delivery, Mailing, NewsletterIssuePage

SEND_PERMISSION = "newsletter.send_newsletter"
#: Language names in the admin's language ("anglais"), not each language's own.
ADMIN_LANGUAGE_NAMES = settings.WAGTAIL_CONTENT_LANGUAGES


class SendTestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Send to"), max_length=254)


class SendForm(forms.Form):
    countries = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Only subscribers interested in"),
        help_text=gettext_lazy("Leave empty to send to every confirmed subscriber."),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    send_after = forms.DateTimeField(
        label=gettext_lazy("Send at"),
        help_text=gettext_lazy("Leave empty to send now. Brussels time."),
        required=False,
        widget=AdminDateTimeInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()

    def clean_send_after(self):
        when = self.cleaned_data["send_after"]
        if when and when <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return when

    def country_pages(self):
        return list(
            CountryPage.objects.filter(
                pk__in=self.cleaned_data["countries"], locale=Locale.get_default()
            )
        )


def progress(mailing):
    """{language: {status: count}} with every language and status present."""
    table = {code: dict.fromkeys(Delivery.Status.values, 0) for code, _name in settings.LANGUAGES}
    rows = (
        Delivery.objects.filter(mailing=mailing)
        .order_by()
        .values_list("language", "status")
        .annotate(n=Count("pk"))
    )
    for language, status, n in rows:
        table.setdefault(language, dict.fromkeys(Delivery.Status.values, 0))[status] = n
    return table


def send_samples(issue, to):
    """Send the issue to one staff address, once in each language."""
    issue = issue.specific
    messages = [
        render_issue(version_for(issue, code), code).sample_message(to)
        for code, _name in settings.LANGUAGES
    ]
    with mailers[settings.NEWSLETTER["MAILER"]] as mailer:
        mailer.send_messages(messages)


def _issue(page_id):
    return get_object_or_404(NewsletterIssuePage, pk=page_id)


def _edit_url(issue):
    return reverse("wagtailadmin_pages:edit", args=[issue.pk])


def _require_edit(request, issue):
    if not issue.permissions_for_user(request.user).can_edit():
        raise PermissionDenied


def _require_send(request):
    if not request.user.has_perm(SEND_PERMISSION):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def send_test(request, page_id):
    """Send the issue once in each language to one staff address."""
    issue = _issue(page_id)
    _require_edit(request, issue)
    form = SendTestForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        send_samples(issue, form.cleaned_data["email"])
        messages.success(
            request,
            _("Test sent to %(email)s: one message in each of %(languages)s.")
            % {
                "email": form.cleaned_data["email"],
                "languages": ", ".join(str(name) for _code, name in ADMIN_LANGUAGE_NAMES),
            },
        )
        return redirect(_edit_url(issue))
    return TemplateResponse(
        request,
        "newsletter/admin/send_test.html",
        {"issue": issue, "form": form, "page_title": _("Send a test")},
    )


@require_http_methods(["GET", "POST"])
def send(request, page_id):
    """Choose the recipients, review how many per language, confirm."""
    issue = _issue(page_id)
    _require_send(request)
    existing = sending.mailing_for(issue)
    if existing:
        return redirect("newsletter_admin:mailing", existing.pk)
    source = issue.get_translation_or_none(Locale.get_default()) or issue
    context = {"issue": issue, "source": source, "page_title": _("Send to subscribers")}
    if not source.live:
        context["not_live"] = True
        return TemplateResponse(request, "newsletter/admin/send.html", context)

    form = SendForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        context["form"] = form
        return TemplateResponse(request, "newsletter/admin/send.html", context)

    countries = form.country_pages()
    counts = sending.count_by_language(sending.recipients(countries))
    if request.POST.get("step") != "confirm" or not sum(counts.values()):
        context.update(
            form=form,
            review=True,
            counts=[(name, counts[code]) for code, name in ADMIN_LANGUAGE_NAMES],
            total=sum(counts.values()),
            countries=countries,
        )
        return TemplateResponse(request, "newsletter/admin/send.html", context)

    try:
        mailing = sending.start_mailing(
            issue,
            countries=countries,
            send_after=form.cleaned_data["send_after"],
            user=request.user,
        )
    except sending.AlreadySent as already:
        messages.warning(request, _("This issue has already been sent or scheduled."))
        return redirect("newsletter_admin:mailing", already.mailing.pk)
    if form.cleaned_data["send_after"]:
        messages.success(request, _("The issue is scheduled."))
    else:
        messages.success(request, _("Sending has started."))
    return redirect("newsletter_admin:mailing", mailing.pk)


def mailing(request, mailing_id):
    """The progress of a mailing: sent, failed, waiting, per language; and once it
    started, its results (newsletter.results)."""
    mailings = Mailing.objects.select_related("issue", "created_by")
    mailing = get_object_or_404(mailings, pk=mailing_id)
    _require_send(request)
    table = progress(mailing)
    names = dict(ADMIN_LANGUAGE_NAMES)
    rows = []
    for code, counts in table.items():
        rows.append(
            {
                "language": names.get(code, code),
                "sent": counts[Delivery.Status.SENT],
                "failed": counts[Delivery.Status.FAILED],
                "skipped": counts[Delivery.Status.SKIPPED],
                "pending": counts[Delivery.Status.PENDING] + counts[Delivery.Status.SENDING],
                "total": sum(counts.values()),
            }
        )
    totals = {key: sum(row[key] for row in rows) for key in rows[0] if key != "language"}
    return TemplateResponse(
        request,
        "newsletter/admin/mailing.html",
        {
            "mailing": mailing,
            "rows": rows,
            "totals": totals,
            "countries": list(mailing.countries.all()),
            "running": mailing.status in (Mailing.Status.SCHEDULED, Mailing.Status.SENDING),
            "due": mailing.send_after <= timezone.now(),
            "results": results_table(mailing),
            "page_title": _("Sending: %(subject)s") % {"subject": mailing.subject},
        },
    )


def results_csv(request, mailing_id):
    """The mailing's results as a CSV file, for those who may see the mailing."""
    mailing = get_object_or_404(Mailing, pk=mailing_id)
    _require_send(request)
    return csv_response(mailing)


@require_POST
def cancel(request, mailing_id):
    mailing = get_object_or_404(Mailing, pk=mailing_id)
    _require_send(request)
    issue_id = mailing.issue_id
    if sending.cancel(mailing):
        messages.success(request, _("The sending is cancelled."))
        if issue_id:
            return redirect("wagtailadmin_pages:edit", issue_id)
        return redirect("wagtailadmin_home")
    messages.error(request, _("Sending has already started and cannot be cancelled."))
    return redirect("newsletter_admin:mailing", mailing.pk)


def mailings(request):
    """Every issue sent or scheduled, newest first."""
    _require_send(request)
    return TemplateResponse(
        request,
        "newsletter/admin/mailings.html",
        {
            "mailings": Mailing.objects.select_related("created_by")[:200],
            "page_title": _("Newsletter mailings"),
        },
    )


urlpatterns = [
    path("issues/<int:page_id>/send-test/", send_test, name="send_test"),
    path("issues/<int:page_id>/send/", send, name="send"),
    path("mailings/", mailings, name="mailings"),
    path("mailings/<int:mailing_id>/", mailing, name="mailing"),
    path("mailings/<int:mailing_id>/cancel/", cancel, name="cancel"),
    path("mailings/<int:mailing_id>/results.csv", results_csv, name="results_csv"),
]


# --- Admin hooks (imported by wagtail_hooks.py) --------------------------------


@hooks.register("register_admin_urls")
def register_urls():
    return [path("newsletter/", include((urlpatterns, "newsletter_admin")))]


class _IssueMenuItem(PageMenuItem):
    def __init__(self, *, permission_check, **kwargs):
        super().__init__(**kwargs)
        self.permission_check = permission_check

    def is_shown(self, user):
        return self.permission_check(user)


@hooks.register("register_page_header_buttons")
def issue_header_buttons(page, user, view_name, next_url=None):
    """ "Send a test" and "Send to subscribers" in the menu of an issue's page header."""
    if page.specific_class is not NewsletterIssuePage:
        return
    yield _IssueMenuItem(
        label=_("Send a test email"),
        url=reverse("newsletter_admin:send_test", args=[page.pk]),
        icon_name="mail",
        priority=80,
        page=page,
        permission_check=lambda user: page.permissions_for_user(user).can_edit(),
    )
    existing = sending.mailing_for(page)
    yield _IssueMenuItem(
        label=_("Sending progress") if existing else _("Send to subscribers"),
        url=reverse("newsletter_admin:send", args=[page.pk]),
        icon_name="mail",
        priority=81,
        page=page,
        permission_check=lambda user: user.has_perm(SEND_PERMISSION),
    )


class _SendersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(SEND_PERMISSION)


@hooks.register("register_admin_menu_item")
def mailings_menu_item():
    return _SendersMenuItem(
        gettext_lazy("Mailings"),
        reverse_lazy("newsletter_admin:mailings"),
        icon_name="mail",
        order=310,
    )
