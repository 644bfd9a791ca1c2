"""The stories feed of a language: /<language>/stories/feed.xml."""

from django.utils.translation import gettext as _

from discovery.feeds import PageFeed, day_start, shown_in
from stories.models import StoryIndexPage, StoryPage


class StoryFeed(PageFeed):
    def get_object(self, request, *args, **kwargs):
        obj = super().get_object(request)
        obj.page = shown_in(StoryIndexPage.objects.all(), obj.locale).first()
        return obj

    def title(self, obj):
        return _("Diaspora Engagement: success stories")

    def description(self, obj):
        return _("Interviews, videos and articles about the diaspora's projects.")

    def pages(self, obj):
        return shown_in(StoryPage.objects.all(), obj.locale).order_by("-date", "-pk")

    def item_pubdate(self, item):
        return day_start(item.date)
