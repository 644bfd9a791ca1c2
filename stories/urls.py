"""Public story views under /<language>/stories/. Django falls through to Wagtail's
page catch-all when none matches; ".xml" is a suffix no page slug can have."""

from django.urls import path

from stories.feeds import StoryFeed

app_name = "stories"

urlpatterns = [
    path("feed.xml", StoryFeed(), name="feed"),
]
