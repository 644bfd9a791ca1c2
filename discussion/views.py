"""The discussion's public views under /<language>/discussion/ (docs/discussion.md).

The form under a page is part of the cached page, so it carries no CSRF token: `post`
checks the Origin, the rate per network address and per email address, and the body,
and a honeypot catches simple bots (public_forms.guards), as every public form here.
The emailed links (confirm, stop) show a button and act on its POST only; the
link's token is the authorisation, so they need no cookie either.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page

from discussion import emails, posting
from discussion.forms import ContributionForm
from discussion.models import Author, Contribution, Report
from discussion.rendering import has_discussion
from privacy.suppression import address_digest
from public_forms.guards import is_bot, refuse_post
from public_forms.responses import message_page, see_other
from security.rate_limits import client_ip, over_limit

# Posts allowed per network address, and per email address, and in how many seconds.
RATE_LIMIT = (10, 3600)
ADDRESS_RATE_LIMIT = (5, 3600)
REPORT_RATE_LIMIT = (20, 3600)
# The largest id a database integer holds: SQLite raises OverflowError beyond it.
MAX_ID = 2**63 - 1

REPORT_REASONS = Report.Reason.choices


def _discussed_page(page_id):
    """The live, public page in the visitor's language that has a discussion."""
    if page_id > MAX_ID:
        raise Http404
    page = get_object_or_404(
        Page.objects.live().public(),
        pk=page_id,
        locale__language_code=translation.get_language(),
    ).specific
    if not has_discussion(page):
        raise Http404
    return page


def _form_page(request, page, form, status=200):
    context = {"discussed_page": page, "form": form}
    return render(request, "discussion/post.html", context, status=status)


@csrf_exempt
@never_cache
@sensitive_post_parameters("name", "email", "text")
@require_http_methods(["GET", "HEAD", "POST"])
def post(request, page_id):
    """Take a contribution (POST); a GET goes back to the page's discussion."""
    page = _discussed_page(page_id)
    if request.method != "POST":
        return redirect(page.get_url(request) + "#discussion")
    refusal = refuse_post(request, "discussion", RATE_LIMIT)
    if refusal:
        return refusal
    if is_bot(request.POST):
        return see_other("discussion:posted")  # look like success, store nothing
    form = ContributionForm(request.POST)
    if not form.is_valid():
        return _form_page(request, page, form)
    address_key = f"discussion:address:{address_digest(form.cleaned_data['email'])}"
    if over_limit(address_key, ADDRESS_RATE_LIMIT):
        return message_page(
            request,
            _("Too many contributions"),
            _("You have posted often in a short time. Please wait an hour and try again."),
            status=429,
        )
    try:
        posting.post(page, form.cleaned_data)
    except posting.NotOpen:
        return message_page(
            request,
            _("The discussion is closed"),
            _("This page no longer takes contributions."),
            status=409,
        )
    except posting.NoSuchParent:
        form.add_error(None, _("You can only reply to a published contribution on this page."))
        return _form_page(request, page, form)
    return see_other("discussion:posted")


@never_cache
@require_GET
def posted(request):
    return render(request, "discussion/posted.html")


@never_cache
@require_GET
def rules(request):
    return render(request, "discussion/rules.html")


def _broken_link(request, text):
    return message_page(request, _("This link does not work"), text, status=404)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners fetch links); its POST confirms the address."""
    author = posting.author_from_confirm_token(token)
    if author is None:
        return _broken_link(
            request,
            _(
                "This confirmation link is unknown, was replaced by a newer one or is "
                "more than a week old. Post your contribution again to get a new link."
            ),
        )
    if request.method == "POST":
        posting.confirm(author)
        return message_page(
            request,
            _("Address confirmed"),
            _(
                "Thank you. Your contribution now waits for a moderator, who reads "
                "every contribution before it is published. We will email you when it is."
            ),
            language=author.language,
        )
    with translation.override(author.language):
        return render(request, "discussion/confirm.html")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop(request, token):
    """Stop the discussion's emails: a button, or the mail client's one-click POST
    (RFC 8058) that sends no cookie; the signed token is the authorisation."""
    author = emails.author_from_stop_token(token)
    if author is None:
        return _broken_link(
            request, _("This link is no longer valid: the address it was made for was erased.")
        )
    if request.method == "POST":
        Author.objects.filter(pk=author.pk).update(notifications=False)
        return message_page(
            request,
            _("No more emails"),
            _("We will no longer email you about your contributions."),
            language=author.language,
        )
    with translation.override(author.language):
        return render(request, "discussion/stop.html", {"already": not author.notifications})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, contribution_id):
    """Report a published contribution to the moderators, without logging in."""
    if contribution_id > MAX_ID:
        raise Http404
    contribution = get_object_or_404(
        Contribution.objects.select_related("page"),
        pk=contribution_id,
        state=Contribution.State.APPROVED,
        is_office_answer=False,
    )
    if request.method == "POST":
        refusal = refuse_post(request, "discussion-report", REPORT_RATE_LIMIT)
        if refusal:
            return refusal
        reason = request.POST.get("reason", "")
        if reason not in dict(REPORT_REASONS):
            context = {"contribution": contribution, "reasons": REPORT_REASONS, "error": True}
            return render(request, "discussion/report.html", context)
        if not is_bot(request.POST):
            posting.report(contribution, address_digest(client_ip(request))[:64], reason)
        return message_page(
            request,
            _("Thank you"),
            _(
                "A moderator will read this contribution again and remove it if it "
                "breaks the house rules."
            ),
        )
    context = {"contribution": contribution, "reasons": REPORT_REASONS}
    return render(request, "discussion/report.html", context)
