"""The feed of newsletter issues of a language: /<language>/newsletter/feed.xml."""

from django.utils.translation import gettext as _

from discovery.feeds import PageFeed, day_start, shown_in
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage


class IssueFeed(PageFeed):
    def get_object(self, request, *args, **kwargs):
        obj = super().get_object(request)
        obj.page = shown_in(NewsletterIndexPage.objects.all(), obj.locale).first()
        return obj

    def title(self, obj):
        return _("Diaspora Engagement: newsletter")

    def description(self, obj):
        return _("Every issue of the diaspora engagement newsletter.")

    def pages(self, obj):
        return shown_in(NewsletterIssuePage.objects.all(), obj.locale).order_by("-number")

    def item_pubdate(self, item):
        return day_start(item.issue_date)
