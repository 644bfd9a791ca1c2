"""Registering for an event on this site, and cancelling from the emailed link.

The registration form sits on the event page, which is cached for anonymous
visitors, so it carries no CSRF token and posts here (docs/caching-and-forms.md):
`refuse_post` checks the Origin, the rate and the body's size, and a honeypot
catches simple bots. The cancel page is reached only through a signed
link, never cached, and uses Django's ordinary CSRF protection.

A registration is answered "check your email", whether it got a place, a place on
the waiting list, or found the address already registered: the email says which.
The page never tells whether an address is registered (docs/events-and-forms.md).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from events import registering
from events.cancel_links import registration_from_cancel_token
from events.forms import RegistrationForm
from events.models import EventPage, Registration
from events.registering import Outcome
from public_forms.guards import is_bot, refuse_post
from public_forms.responses import message_page

# POSTs to registration forms allowed per client address, and in how many seconds.
REGISTER_RATE_LIMIT = (20, 600)


# The largest id a database integer holds: SQLite raises OverflowError beyond it.
MAX_PAGE_ID = 2**63 - 1


def _event(page_id):
    """The live, public event page in the visitor's language, with the English
    page's dates and registration settings (see take_source_settings)."""
    if page_id > MAX_PAGE_ID:
        raise Http404
    page = get_object_or_404(
        EventPage.objects.live().public(),
        pk=page_id,
        locale__language_code=translation.get_language(),
    )
    return page.take_source_settings()


def _answer(request, page, outcome, status=200):
    context = {"page": page, "outcome": outcome.value}
    return render(request, "events/registration_answer.html", context, status=status)


@csrf_exempt
@never_cache
@sensitive_post_parameters("name", "email", "organisation")
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, page_id):
    page = _event(page_id)
    if request.method != "POST":
        return redirect(page.url + "#register")
    if not page.takes_registrations:
        raise Http404
    refusal = refuse_post(request, "register", REGISTER_RATE_LIMIT)
    if refusal:
        return refusal
    if not page.registration_is_open():
        return _answer(request, page, Outcome.CLOSED, status=409)

    form = RegistrationForm(request.POST)
    if is_bot(request.POST):
        # Look like success; store nothing.
        return _answer(request, page, Outcome.CONFIRMED)
    if not form.is_valid():
        context = {"page": page, "form": form}
        return render(request, "events/register.html", context, status=400)

    outcome, _registration = registering.register(
        page,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        organisation=form.cleaned_data["organisation"],
        diaspora_member=form.cleaned_data["diaspora_member"],
        language=translation.get_language(),
    )
    if outcome is Outcome.ALREADY_REGISTERED:
        # Answered as a newcomer would be; the email tells the person the rest.
        outcome = registering.answer_for_newcomer(page)
    if outcome in (Outcome.FULL, Outcome.CLOSED):
        return _answer(request, page, outcome, status=409)
    # A place or the waiting list: the same page, the email says which.
    return _answer(request, page, Outcome.CONFIRMED)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """GET shows what will be cancelled and a button (mail scanners open links,
    and must not cancel anything); POST cancels."""
    registration = registration_from_cancel_token(token)
    if registration is None:
        return message_page(
            request,
            _("This link does not work"),
            _(
                "This cancellation link is invalid, or the registration no longer exists. "
                "Please use the link in your confirmation email, or contact us."
            ),
            status=400,
        )
    with translation.override(registration.language):
        event = EventPage.for_registrant(registration.places.event_key, registration.language)
        context = {"registration": registration, "event": event}
        if registration.status == Registration.Status.CANCELLED:
            context["already"] = True
        elif request.method == "POST":
            registering.cancel(registration.pk)
            context["cancelled"] = True
        return render(request, "events/cancel.html", context)
