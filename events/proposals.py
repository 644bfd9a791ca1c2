"""'Send us your event': organisers propose an event on a public form.

A proposal becomes a draft EventPage under the English event index (English is the
source locale; the text stays in the language it was written in, recorded on the
EventProposal), submitted to the moderation workflow that applies there, so staff find
it under "Awaiting your review" and publish, change or delete it. It is never
published by this code. The organiser's contact details stay on the EventProposal,
off the page.

Which workflow: Wagtail's own migrations put "Moderators approval" on the root page of
every database, so it applies to every event index without anything from us. If staff
switch workflows off, the draft is still stored and listed under "Event proposals".

The form page carries no CSRF token (docs/caching-and-forms.md): a POST must come
from this site (Origin / Sec-Fetch-Site), stays under a per-address rate limit, and a
honeypot catches simple bots (`public_forms.guards`).
"""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page
from wagtail_localize.synctree import create_aliases_for_new_page

from events.models import EventIndexPage, EventPage, EventProposal
from events.tasks import start_review
from home.models import CountryPage, country_choices
from public_forms.guards import is_bot, refuse_post
from public_forms.responses import message_page, see_other
from security.text import VisibleTextFields, no_html

logger = logging.getLogger(__name__)

# Proposals allowed per client address, and in how many seconds.
RATE_LIMIT = (5, 3600)

CONSENT_TEXT = _(
    "I agree that IOM Belgium and Luxembourg may contact me by email about this "
    "proposal, and keep my contact details with it until it is dealt with."
)

# A path of the events URLs (events/urls.py): a page with this slug would be hidden.
RESERVED_SLUGS = {"propose"}


def text_field(label, max_length, *, required=True, help_text="", widget=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        validators=[no_html],
    )


def datetime_field(label, help_text):
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class EventProposalForm(VisibleTextFields, forms.Form):
    title = text_field(_("Name of the event"), 255)
    start = datetime_field(
        _("Starts"),
        _("Date and time, Brussels time. Leave empty if the date is not fixed yet."),
    )
    end = datetime_field(_("Ends"), _("Optional. Date and time, Brussels time."))
    venue_name = text_field(_("Venue"), 200, required=False)
    venue_address = text_field(_("Address"), 255, required=False)
    city = text_field(_("City"), 100, required=False)
    online_url = forms.URLField(
        label=_("Online address"),
        max_length=200,
        required=False,
        help_text=_("For an online or hybrid event: where people join."),
        validators=[no_html],
    )
    description = text_field(
        _("Description"),
        3000,
        help_text=_("What the event is about and who it is for, in a few sentences."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    countries = forms.TypedMultipleChoiceField(
        label=_("Countries concerned"),
        help_text=_("Optional: the diaspora communities the event is for."),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    name = text_field(_("Your name"), 200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("Only our team sees it, to ask you about the event."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = text_field(
        _("Your organisation"),
        200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Please tick the box to agree, or we cannot take your proposal.")
        },
    )
    # Honeypot: hidden from people (see the template), filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    SINGLE_LINE = ("title", "venue_name", "venue_address", "city", "name", "organisation")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_proposal_%s")
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start and start < timezone.now():
            raise ValidationError(_("The event cannot start in the past."), code="past")
        return start

    def clean(self):
        data = super().clean()
        for name in self.SINGLE_LINE:
            if data.get(name):  # one line, single spaces (a POST may hold line breaks)
                data[name] = " ".join(data[name].split())
        start, end = data.get("start"), data.get("end")
        if end and "start" in data and not start:
            self.add_error("end", _("Give the start too, or leave the end empty."))
        elif start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        where = ("venue_name", "city", "online_url")
        # (A field refused above already has its own message.)
        if not any(data.get(name) or name in self.errors for name in where):
            self.add_error(
                "city",
                _("Tell us where the event takes place: a city, an online address, or both."),
            )
        return data


def _slug_for(index, title):
    slug = slugify(title)[:80].strip("-") or "event-proposal"
    if slug in RESERVED_SLUGS:
        slug += "-event"
    return find_available_slug(index, slug)


class NoEventIndex(Exception):
    """The site has no English event index to hold proposals."""


@transaction.atomic
def create_proposal(data, language):
    """Store a proposal: a draft EventPage under the English event index, submitted to
    the moderation workflow, and the organiser's details beside it. All or nothing."""
    index = EventIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
    if index is None:
        raise NoEventIndex
    # One proposal at a time under this index (on PostgreSQL): slugs and tree paths
    # are chosen from the existing children.
    Page.objects.select_for_update().filter(pk=index.pk).first()

    start = data["start"]
    page = EventPage(
        title=data["title"],
        slug=_slug_for(index, data["title"]),
        introduction=data["description"],
        start=start,
        end=data["end"],
        date_to_be_announced=start is None,
        venue_name=data["venue_name"],
        venue_address=data["venue_address"],
        city=data["city"],
        online_url=data["online_url"],
        live=False,
    )
    page.countries = list(CountryPage.objects.filter(pk__in=data["countries"]))
    index.add_child(instance=page)
    page.save_revision(log_action=True)
    EventProposal.objects.create(
        page=page,
        language=language,
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        consent_text=str(CONSENT_TEXT),
        consent_given_at=timezone.now(),
    )
    # As when staff create a page in the admin: French and Dutch aliases, published
    # (as aliases) together with the English page once it is approved.
    create_aliases_for_new_page(page)
    # Submitted to moderation by the "emails" worker (events.tasks.start_review): Wagtail
    # emails the moderators then, not in the visitor's request. With the database
    # queue the task is stored in this transaction: all or nothing.
    start_review.enqueue(page.pk)
    return page


def _render_form(request, form, status=200):
    return render(request, "events/propose_event.html", {"form": form}, status=status)


def _thanks_redirect():
    return see_other("events:propose_thanks")


@csrf_exempt
@never_cache
@sensitive_post_parameters("name", "email", "organisation")
@require_http_methods(["GET", "HEAD", "POST"])
def propose_event(request):
    """The form (GET) and taking it (POST), in the visitor's language (the URL's)."""
    if request.method != "POST":
        return _render_form(request, EventProposalForm())

    refusal = refuse_post(request, "propose-event", RATE_LIMIT)
    if refusal:
        return refusal
    if is_bot(request.POST):
        return _thanks_redirect()  # look like success, store nothing

    form = EventProposalForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form)
    try:
        create_proposal(form.cleaned_data, translation.get_language())
    except NoEventIndex:
        return message_page(
            request,
            _("Proposals are closed"),
            _("We cannot take event proposals at the moment. Please write to us instead."),
            status=503,
        )
    return _thanks_redirect()


@never_cache
@require_GET
def propose_thanks(request):
    return render(request, "events/propose_event_thanks.html")
