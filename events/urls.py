"""Public event views under /<language>/events/. Django tries these before
Wagtail's page catch-all and falls through to it when none matches, so event
pages at /<language>/events/<slug>/ are unaffected."""

from django.urls import path

from events import calendar_views, proposals, registration_views

app_name = "events"

urlpatterns = [
    path("<int:page_id>/register/", registration_views.register, name="register"),
    path(
        "<int:page_id>/register/answer/<str:token>/",
        registration_views.registration_answer,
        name="registration_answer",
    ),
    path("registration/<str:token>/cancel/", registration_views.cancel, name="cancel"),
    # Calendar files; ".ics" is a suffix no page slug can have.
    path("<int:page_id>/calendar.ics", calendar_views.event_ics, name="event_calendar"),
    path("calendar.ics", calendar_views.language_feed, name="calendar_feed"),
    path("calendar/<str:country_code>.ics", calendar_views.country_feed, name="country_calendar"),
    # "Send us your event" (a page slugged "propose" is avoided: proposals.RESERVED_SLUGS).
    path("propose/", proposals.propose_event, name="propose"),
    path("propose/thank-you/", proposals.propose_thanks, name="propose_thanks"),
]
