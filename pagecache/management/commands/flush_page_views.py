"""Move the page-view counts from the shared cache into the database
(pagecache.views_count). Run it every few minutes; safe to run twice at once."""

from django.core.management.base import BaseCommand

from pagecache.views_count import flush


class Command(BaseCommand):
    help = (
        "Move the page-view counts from the cache (Redis) into the database. "
        "Run it every few minutes; two runs at once never count a view twice."
    )

    def handle(self, *args, verbosity=1, **options):
        written = flush()
        if verbosity:
            self.stdout.write(f"{written} page views written.")
