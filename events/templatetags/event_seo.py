"""schema.org JSON-LD of an event page: an Event.

An Event without a startDate is invalid for Google's event results, so an event whose
date is to be announced gets none. Times are Brussels time with their UTC offset; an
event with only a day known gives dates without a time.
"""

from django import template
from django.utils import timezone

from discovery.seo import content_language, json_ld_script, share_image
from events.calendar import has_calendar_date
from events.models.schedule import BRUSSELS

register = template.Library()

SCHEMA = "https://schema.org/"


def _when(page, moment):
    local = timezone.localtime(moment, BRUSSELS)
    return (local.date() if page.all_day else local).isoformat()


def _locations(page):
    locations = []
    if page.venue_name or page.venue_address or page.city:
        address = {"@type": "PostalAddress"}
        if page.venue_address:
            address["streetAddress"] = page.venue_address
        if page.city:
            address["addressLocality"] = page.city
        locations.append(
            {"@type": "Place", "name": page.venue_name or page.city, "address": address}
        )
    if page.online_url:
        locations.append({"@type": "VirtualLocation", "url": page.online_url})
    return locations


@register.simple_tag(takes_context=True)
def event_json_ld(context):
    page = context["page"]
    request = context["request"]
    if not has_calendar_date(page):
        return ""
    data = {
        "@type": "Event",
        "name": page.title,
        "description": page.introduction,
        "url": (context.get("source_page") or page).get_full_url(request),
        "inLanguage": content_language(context, page),
        "startDate": _when(page, page.start),
        "eventStatus": SCHEMA + "EventScheduled",
    }
    if page.end:
        data["endDate"] = _when(page, page.end)
    locations = _locations(page)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
        online = page.online_url and len(locations) == 1
        mode = "Mixed" if len(locations) > 1 else ("Online" if online else "Offline")
        data["eventAttendanceMode"] = f"{SCHEMA}{mode}EventAttendanceMode"
    organisers = [
        {
            "@type": "Organization",
            "name": partner.name,
            **({"url": partner.website} if partner.website else {}),
        }
        for partner in context.get("organisers") or []
    ]
    if organisers:
        data["organizer"] = organisers
    image = share_image(page.listing_image, request)
    if image:
        data["image"] = [image["url"]]
    return json_ld_script(data)
