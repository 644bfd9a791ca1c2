"""Plain share links under an issue, a story or a call: an email (mailto:), WhatsApp
(a wa.me link) and the address to copy. Links only: nothing is loaded from another
site, and the copy button (static/js/share.js) is an enhancement over the address
shown in a field."""

from urllib.parse import quote

from django import template

from home.i18n import context_page
from home.page_urls import full_url_for

register = template.Library()


@register.inclusion_tag("components/_share_links.html", takes_context=True)
def share_links(context):
    request = context.get("request")
    page = context_page(context)
    if page is None or request is None:
        return {}
    # An untranslated page stands in for its source: share the canonical address.
    url = full_url_for(context.get("source_page") or page, request)
    title = page.seo_title or page.title
    body = quote(title + "\n" + url, safe="")
    return {
        "url": url,
        "mailto": f"mailto:?subject={quote(title, safe='')}&body={body}",
        "whatsapp": "https://wa.me/?text=" + quote(title + " " + url, safe=""),
    }
