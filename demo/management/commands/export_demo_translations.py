"""Write the demo content's PO files for translators (a development tool)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.builder import DemoBuilder
from demo.content import build
from demo.translations import export_demo_translations


class Command(BaseCommand):
    help = (
        "Write demo/translations/<language>/<object>.po for every demo page and "
        "snippet, keeping existing translations. Run after changing the demo content."
    )

    def add_arguments(self, parser):
        parser.add_argument("languages", nargs="*", default=["fr", "nl"])

    @transaction.atomic
    def handle(self, *args, **options):
        builder = DemoBuilder()
        build(builder)
        paths = export_demo_translations(builder.registry, options["languages"])
        self.stdout.write(f"Wrote {len(paths)} PO files.")
