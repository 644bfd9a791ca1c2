"""Public event views under /<language>/events/. Django tries these before
Wagtail's page catch-all and falls through to it when none matches, so event
pages at /<language>/events/<slug>/ are unaffected."""

from django.urls import path  # noqa: F401 (routes are added below as views land)

app_name = "events"

urlpatterns: list = []
