"""Public subscription views: subscribe, confirm, unsubscribe, preferences, and
accepting an invitation.

None of them is cached. Subscribe and unsubscribe use no CSRF token: the pages
that show the subscription form are served from a cache to anonymous visitors, so
the form cannot carry a per-visitor token (see `subscribe` for what protects it
instead), and unsubscribing is one click from a mail client (RFC 8058). The
confirmation, preferences and invitation pages are reached only through a
personal link, never cached, and use Django's ordinary CSRF protection. A GET
never changes anything (mail scanners open links); each page shows the address
masked (privacy_tags' `masked_email`).
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from newsletter import invitations, subscriptions
from newsletter.forms import (
    AcceptInvitationForm,
    ConfirmedCountriesForm,
    PreferencesForm,
    ShortSubscribeForm,
    SubscribeForm,
)
from newsletter.models import Subscriber
from public_forms.guards import refuse_post, unreadable_post
from public_forms.responses import message_page, see_other

# POSTs to the subscription form allowed per client address, and in how many seconds.
SUBSCRIBE_RATE_LIMIT = getattr(settings, "NEWSLETTER_SUBSCRIBE_RATE_LIMIT", (10, 600))

_message = message_page


def _broken_link(request, text, *, link=None):
    """The answer to a forged, expired or stale link: a 400 page that says so."""
    return _message(request, _("This link does not work"), text, status=400, link=link)


def _subscribe_link(language=None):
    """The way back onto the list, for the pages that say one can subscribe again:
    the form in `language` (the page's own by default)."""
    return (_subscribe_path(language or translation.get_language()), _("Subscribe again"))


@csrf_exempt
@never_cache
@sensitive_post_parameters("email")
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """Show the subscription form (GET) and take it (POST).

    Exempt from Django's CSRF check on purpose: the same form is embedded in pages
    cached for anonymous visitors, which cannot hold a per-visitor CSRF token.
    Instead a POST must come from this site (its `Origin` header, or failing
    that `Sec-Fetch-Site: same-origin`, must match), is rate-limited per client
    address, and a honeypot field catches simple bots. The worst a forged request
    could do anyway is make us send a confirmation email, at most one an hour.
    """
    if request.method != "POST":
        form = SubscribeForm(initial={"source": request.path})
        return render(request, "newsletter/subscribe.html", {"form": form})

    refusal = refuse_post(request, "subscribe", SUBSCRIBE_RATE_LIMIT)
    if refusal:
        return refusal

    form = SubscribeForm(request.POST)
    if form.is_bot:
        return _check_inbox_redirect()  # look like success, store nothing
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=200)

    subscriptions.subscribe(
        email=form.cleaned_data["email"],
        language=form.cleaned_data["language"],
        countries=form.cleaned_data["countries"],
        source=form.cleaned_data["source"] or request.path,
    )
    # The same answer for a new, pending or confirmed address.
    return _check_inbox_redirect()


@csrf_exempt
@never_cache
@sensitive_post_parameters("email")
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_short(request):
    """Take the home page's short form (address and consent): the newsletter in the
    language of the address it was posted to (the page's), no countries yet, and
    the consent text of that form recorded by its own version. Guarded as
    `subscribe`; a GET goes to the full form."""
    if request.method != "POST":
        return redirect("newsletter:subscribe")

    refusal = refuse_post(request, "subscribe", SUBSCRIBE_RATE_LIMIT)
    if refusal:
        return refusal

    form = ShortSubscribeForm(request.POST)
    if form.is_bot:
        return _check_inbox_redirect()
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form, "short": True})

    language = translation.get_language()
    subscriptions.subscribe(
        email=form.cleaned_data["email"],
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        countries=[],
        source=form.cleaned_data["source"] or request.path,
        consent_text_version=subscriptions.SHORT_CONSENT_TEXT_VERSION,
    )
    return _check_inbox_redirect()


def _check_inbox_redirect():
    return see_other("newsletter:check_inbox")


@never_cache
@require_GET
def check_inbox(request):
    return _message(
        request,
        _("Check your inbox"),
        _(
            "We have sent you an email with a link to confirm your subscription. "
            "Follow it within seven days. If no email arrives, check your spam folder."
        ),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """Confirm a subscription from the link in the confirmation email: GET shows
    what will be confirmed and one button (a mail scanner that opens the link
    confirms nothing); POST, with Django's CSRF token, confirms."""
    subscription_request = subscriptions.request_from_confirm_token(token)
    if subscription_request is None:
        return _broken_link(
            request,
            _(
                "This confirmation link is invalid, has expired or was already used "
                "(links work for seven days). If you are not subscribed yet, please "
                "subscribe again to receive a new one."
            ),
            link=_subscribe_link(),
        )
    language = subscription_request.language
    if request.method != "POST":
        with translation.override(language):
            return render(
                request,
                "newsletter/confirm.html",
                {"subscriber": subscription_request.subscriber},
            )
    if not subscriptions.confirm(subscription_request):
        return _message(
            request,
            _("This link no longer works"),
            _("This address cannot be subscribed with this link. Please contact us."),
            status=400,
            language=language,
        )
    return _confirmed(request, subscription_request.subscriber)


def _confirmed(request, subscriber):
    """The answer to a confirmation: thanks, and the countries of interest offered
    (posted to the subscriber's preferences link, where they are saved)."""
    with translation.override(subscriber.language):
        countries = list(subscriber.countries.values_list("pk", flat=True))
        form = ConfirmedCountriesForm(
            initial={"language": subscriber.language, "countries": countries}
        )
        action = _preferences_path(subscriber, subscriptions.preferences_token(subscriber))
        return render(request, "newsletter/confirmed.html", {"form": form, "action": action})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Unsubscribe without login, cookie or CSRF token.

    GET only shows a button (mail scanners prefetch links, and must not
    unsubscribe anyone). POST unsubscribes: from that button, or from the mail
    client itself (RFC 8058 one-click, body `List-Unsubscribe=One-Click`), which
    sends no cookie and no token, hence `csrf_exempt`. The signed token is the
    authorisation.
    """
    subscriber = subscriptions.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return _broken_link(
            request,
            _(
                "The unsubscribe link is invalid. Please use the link in the latest "
                "newsletter you received, or contact us."
            ),
        )
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return _message(
            request,
            _("You are unsubscribed"),
            _("You will no longer receive our newsletter. You can subscribe again at any time."),
            language=subscriber.language,
            link=_subscribe_link(subscriber.language),
        )
    with translation.override(subscriber.language):
        return render(
            request,
            "newsletter/unsubscribe.html",
            {
                "subscriber": subscriber,
                "already": subscriber.status == Subscriber.Status.UNSUBSCRIBED,
                "subscribe_url": _subscribe_path(subscriber.language),
            },
        )


# Who may change their preferences: everyone on the list who has not left it.
# (An invited contact has not subscribed: it answers its invitation instead.)
PREFERENCES_STATUSES = (Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING)


def _subscribe_path(language):
    with translation.override(language):
        return reverse("newsletter:subscribe")


def _preferences_path(subscriber, token):
    with translation.override(subscriber.language):
        return reverse("newsletter:preferences", args=[token])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    """Change the newsletter's language and the countries of interest, or leave.

    Reached from the signed link in every email (no expiry, like the unsubscribe
    link), always in the subscriber's language. GET changes nothing. A person no
    longer subscribed (unsubscribed, bounced, marked as spam, or only invited) is
    told so, with the way back in: this page never subscribes anyone again.
    """
    subscriber = subscriptions.subscriber_from_preferences_token(token)
    if subscriber is None:
        return _broken_link(
            request,
            _(
                "This link to your newsletter preferences is invalid. Please use the link "
                "in the latest newsletter you received, or contact us."
            ),
        )

    with translation.override(subscriber.language):
        context = {
            "subscriber": subscriber,
            "subscribed": subscriber.status in PREFERENCES_STATUSES,
            "subscribe_url": _subscribe_path(subscriber.language),
            "unsubscribe_url": reverse(
                "newsletter:unsubscribe", args=[subscriptions.unsubscribe_token(subscriber)]
            ),
            "saved": request.GET.get("saved") == "1",
        }
        if not context["subscribed"]:
            status = 400 if request.method == "POST" else 200
            return render(request, "newsletter/preferences.html", context, status=status)

        if request.method == "POST":
            unreadable = unreadable_post(request)
            if unreadable:
                return unreadable
            form = PreferencesForm(request.POST)
            if form.is_valid():
                saved = _save_preferences(subscriber, form.cleaned_data)
                if saved:
                    # See Other, in the (possibly new) language: reloading the answer
                    # does not post again.
                    response = redirect(_preferences_path(subscriber, token) + "?saved=1")
                    response.status_code = 303
                    return response
                # Left the list in the meantime (another tab, a bounce).
                subscriber.refresh_from_db()
                context["subscribed"] = False
                return render(request, "newsletter/preferences.html", context, status=400)
        else:
            form = PreferencesForm(
                initial={
                    "language": subscriber.language,
                    "countries": list(subscriber.countries.values_list("pk", flat=True)),
                }
            )
        context["form"] = form
        return render(request, "newsletter/preferences.html", context)


def _save_preferences(subscriber, data):
    """Store the new choices if the person is still subscribed (checked in the same
    UPDATE, so a concurrent unsubscribe wins). Returns whether it was stored."""
    with transaction.atomic():
        updated = Subscriber.objects.filter(
            pk=subscriber.pk, status__in=PREFERENCES_STATUSES
        ).update(language=data["language"])
        if updated:
            subscriber.countries.set(data["countries"])
            subscriber.language = data["language"]
    return bool(updated)


def _not_invited_answer(request, subscriber):
    """The answer to an invitation link whose contact is no longer invited, or
    None if it still may accept."""
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return _message(
            request,
            _("You’re subscribed"),
            _("This address is already subscribed to our newsletter."),
        )
    if subscriber.status not in (Subscriber.Status.INVITED, Subscriber.Status.PENDING):
        return _message(
            request,
            _("This link no longer works"),
            _("This address was unsubscribed. To receive the newsletter again, subscribe again."),
            status=400,
            link=_subscribe_link(),
        )
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request, token):
    """The page an invited contact reaches from its invitation email: the consent
    text, the language and countries; on POST with consent ticked, the consent is
    recorded and the subscription confirmed at once (following the link proves the
    address). GET changes nothing."""
    subscriber = invitations.subscriber_from_invitation_token(token)
    if subscriber is None:
        return _broken_link(
            request,
            _(
                "This invitation link is invalid or has expired. You can still subscribe "
                "to the newsletter with the form on our website."
            ),
            link=(_subscribe_path(translation.get_language()), _("Subscribe to the newsletter")),
        )

    with translation.override(subscriber.language):
        answer = _not_invited_answer(request, subscriber)
        if answer:
            return answer
        if request.method == "POST":
            unreadable = unreadable_post(request)
            if unreadable:
                return unreadable
            form = AcceptInvitationForm(request.POST)
            if form.is_valid():
                language = form.cleaned_data["language"]
                countries = form.cleaned_data["countries"]
                if not invitations.accept(subscriber, language=language, countries=countries):
                    # Its status changed meanwhile (accepted in another tab, unsubscribed).
                    return _not_invited_answer(request, subscriber)
                return _message(
                    request,
                    _("You’re subscribed"),
                    _(
                        "Thank you: your subscription is confirmed. You will receive "
                        "our next newsletter."
                    ),
                    language=language,
                )
        else:
            form = AcceptInvitationForm(initial={"language": subscriber.language})
        return render(
            request,
            "newsletter/accept_invitation.html",
            {"form": form, "subscriber": subscriber},
        )
