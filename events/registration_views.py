"""Registering for an event on this site, and cancelling from the emailed link.

The registration form sits on the event page, which is cached for anonymous
visitors, so it carries no CSRF token and posts here (docs/caching-and-forms.md):
`refuse_post` checks the Origin, the rate and the body's size, and a honeypot
catches simple bots. The cancel page is reached only through a signed
link, never cached, and uses Django's ordinary CSRF protection.

A registration is answered "check your email", whether it got a place, a place on
the waiting list, or found the address already registered: the email says which.
The page never tells whether an address is registered (docs/events-and-forms.md).

Post/Redirect/Get: a decided registration answers 303 to its result page, whose
address holds a signed token of the event and the answer shown (never the name
or the address), valid an hour; reloading it registers nothing, and whoever
opens it sees the same general answer, no one's data.
"""

from django.core import signing
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
from public_forms.responses import message_page, see_other

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


# The result page's token: its own salt, and how long it shows the answer.
ANSWER_SALT = "events.registration.answer"
ANSWER_MAX_AGE = 3600
# The answers a result page can show (see `register`): never "already registered".
SHOWN = (Outcome.CONFIRMED, Outcome.FULL, Outcome.CLOSED)


def _answer(page, outcome):
    """303 to the result page of `outcome` (one of SHOWN) for `page`."""
    token = signing.dumps([page.pk, outcome.value], salt=ANSWER_SALT)
    return see_other("events:registration_answer", page.pk, token)


@never_cache
@require_http_methods(["GET", "HEAD"])
def registration_answer(request, page_id, token):
    """The result page a registration redirects to. A token forged, made for
    another event or older than ANSWER_MAX_AGE leads to the event's page."""
    page = _event(page_id)
    try:
        token_page, value = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
        outcome = Outcome(value)
    except (signing.BadSignature, TypeError, ValueError):
        return redirect(page.url + "#register")
    if token_page != page.pk or outcome not in SHOWN:
        return redirect(page.url + "#register")
    context = {"page": page, "outcome": outcome.value}
    return render(request, "events/registration_answer.html", context)


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
        return _answer(page, Outcome.CLOSED)

    form = RegistrationForm(request.POST)
    if is_bot(request.POST):
        # Look like success; store nothing.
        return _answer(page, Outcome.CONFIRMED)
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
        return _answer(page, outcome)
    # A place or the waiting list: the same page, the email says which.
    return _answer(page, Outcome.CONFIRMED)


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
