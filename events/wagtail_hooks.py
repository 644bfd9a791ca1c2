from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from discovery.sitemaps import PRIVATE_PATHS_HOOK
from events import admin_registrations
from events.models import EventPage, EventPlaces, Registration, RegistrationMode
from pagecache.cdn import PURGE_PATHS_HOOK, localized_paths


class RegistrationViewSet(SnippetViewSet):
    """Registrations for events: see events/admin_registrations.py."""

    model = Registration
    icon = "date"
    menu_label = gettext_lazy("Registrations")
    add_to_admin_menu = True
    menu_order = 305
    list_display = ["name", "email", "event", "language", "status", "created_at"]
    filterset_class = admin_registrations.RegistrationFilterSet
    search_fields = ["name", "email", "organisation"]
    list_export = [
        "event",
        "name",
        "email",
        "organisation",
        "diaspora_member",
        "language",
        "status",
        "created_at",
        "status_changed_at",
        "consent_text",
        "consent_at",
    ]
    export_filename = "registrations"
    inspect_view_enabled = True
    copy_view_enabled = False
    # "Edit" only cancels (CancelRegistrationView): nothing is typed in.
    panels = [FieldPanel("status", read_only=True)]
    index_view_class = admin_registrations.RegistrationIndexView
    add_view_class = admin_registrations.NoAddView
    edit_view_class = admin_registrations.CancelRegistrationView
    edit_template_name = "events/admin/cancel_registration.html"
    delete_view_class = admin_registrations.DeleteRegistrationView


register_snippet(RegistrationViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    urlpatterns = [
        path("<int:places_id>/remind/", admin_registrations.remind, name="remind"),
    ]
    return [path("event-registrations/", include((urlpatterns, "events_admin")))]


class _RegistrationsMenuItem(PageMenuItem):
    def is_shown(self, user):
        return user.has_perm(admin_registrations.VIEW_PERMISSION)


@hooks.register("register_page_header_buttons")
def event_header_buttons(page, user, view_name, next_url=None):
    """ "Registrations" in the menu of the page header of an event registering on
    this site: all its languages' registrations together."""
    if page.specific_class is not EventPage:
        return
    if page.specific_deferred.registration_mode != RegistrationMode.ON_SITE:
        return
    places = EventPlaces.objects.for_event(page.specific_deferred, create=False)
    url = reverse(admin_registrations.url_name("list"))
    if places:
        url += f"?places={places.pk}"
    yield _RegistrationsMenuItem(
        label=_("Registrations"), url=url, icon_name="date", priority=80, page=page
    )


@hooks.register(PURGE_PATHS_HOOK)
def calendar_feed_paths():
    """A CDN keeps the calendar feeds like pages: purge them with the pages."""
    return localized_paths("events:calendar_feed")


@hooks.register(PRIVATE_PATHS_HOOK)
def cancel_link_paths():
    return ["events/registration/"]


# Event proposals ("Send us your event"): the listing and the draft's header menu item.
from events import admin_proposals  # noqa: E402, F401
