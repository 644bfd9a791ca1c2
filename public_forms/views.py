"""Where the site's form pages post: /<language>/forms/<page id>/.

Form pages (the survey, the contact form, calls for cooperation) are served from a
cache to anonymous visitors, so their forms carry no CSRF token and post here
instead (docs/caching-and-forms.md). This view is never cached and protects
itself: the POST must come from this site, stay under a rate limit and be readable
(`public_forms.guards.refuse_post`), a filled-in honeypot gets a thank-you and stores
nothing, and a page that takes no answers now (a call past its deadline) says so.
Then the page itself takes the POST: its landing page once stored, else the form
with its errors in the visitor's language (400).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale, Page

from public_forms.guards import is_bot, refuse_post
from public_forms.models import PublicFormMixin

# POSTs to form pages allowed per client address, and in how many seconds.
FORM_RATE_LIMIT = getattr(settings, "PUBLIC_FORM_RATE_LIMIT", (10, 600))


def live_form_page(page_id):
    """The live, public form page `page_id` in the active language (its translation
    or alias there), or 404."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    locale = Locale.get_active()
    if page.locale_id != locale.pk:
        page = (
            Page.objects.live()
            .public()
            .filter(translation_key=page.translation_key, locale=locale)
            .first()
        )
        if page is None:
            raise Http404
    page = page.specific
    if not isinstance(page, PublicFormMixin):
        raise Http404
    return page


@csrf_exempt
@never_cache
@sensitive_post_parameters()  # every answer may be personal
@require_http_methods(["GET", "HEAD", "POST"])
def submit_form(request, page_id):
    page = live_form_page(page_id)
    if request.method != "POST":
        return redirect(page.url)
    refusal = refuse_post(request, "page-form", FORM_RATE_LIMIT) or page.submission_refusal(request)
    if refusal:
        return refusal
    if is_bot(request.POST):
        return page.render_landing_page(request)  # look like success, store nothing
    return page.serve_post(request)
