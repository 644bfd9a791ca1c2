"""Build the demo site from the seed newsletter issue. Safe to run again."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from demo.builder import DemoBuilder
from demo.content import build
from demo.redirects import create_demo_redirects
from demo.translations import apply_demo_translations, refresh_translations
from translation_workflow.roles import setup_translator_roles

WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
# The apps the demo has content for, beside the base.
DEMO_APPS = ("stories", "events", "newsletter")


class Command(BaseCommand):
    help = "Create the demo content (pages in English, aliases in French and Dutch). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        remove_wagtail_welcome_page()
        builder = DemoBuilder()
        home = build(builder)
        point_default_site_at(home)
        # Pages made by a script get no aliases in the other locales (the admin's
        # page-creation hook does that); wagtail-localize's tree sync does.
        for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
            synchronize_tree(sync.sync_from, sync.locale)
        # A shipped file must match its page exactly, unless some apps are left out:
        # the pages that show them then lack the blocks about them.
        complete = all(apps.is_installed(label) for label in DEMO_APPS)
        builder.created["translations"] += apply_demo_translations(
            builder.registry, strict=complete
        )
        if builder.created["footer links"]:  # added to an older demo's footer
            refresh_translations("home.footer--main", builder.registry["home.footer--main"])
        # The translated slugs move the pages: their English-slug addresses redirect.
        builder.created["redirects"] += create_demo_redirects(builder.registry)
        setup_translator_roles()  # needs the locale home pages, so after the tree
        if options["verbosity"] == 0:
            return
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(builder.created.items()) if n)
        self.stdout.write(
            f"Demo content ready: {Page.objects.filter(depth__gt=1).count()} pages in "
            f"{Locale.objects.count()} languages"
            + (f" (created {created})." if created else " (nothing to create).")
        )


def remove_wagtail_welcome_page():
    """The placeholder page Wagtail's first migration creates, if still untouched."""
    for page in Page.objects.filter(depth=2, title=WAGTAIL_WELCOME_TITLE):
        if type(page.specific) is Page:
            page.delete()


LOCAL_HOSTNAME = "127.0.0.1"


def point_default_site_at(home):
    """The default Site at the demo's home page, at the address `make run` serves
    (`make run PORT=8100` sets SITE_PORT: a local Site follows it, so canonical,
    og:url, the sitemap and .ics files carry that port). A deployment sets its own
    hostname in the admin, which is never touched."""
    port = getattr(settings, "SITE_PORT", 8000)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if site.pk and site.root_page_id == home.pk:
        if site.hostname == LOCAL_HOSTNAME and site.port != port:
            site.port = port
            site.save(update_fields=["port"])
        return
    site.hostname = LOCAL_HOSTNAME
    site.port = port
    site.site_name = "Diaspora Engagement"
    site.root_page = home
    site.save()
