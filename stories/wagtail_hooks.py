from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from discovery.feeds import FEEDS_HOOK, SiteFeed
from stories.models import Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "role", "organisation"]
    search_fields = ["name"]


register_snippet(PersonViewSet)


@hooks.register(FEEDS_HOOK)
def stories_feed():
    return [SiteFeed("stories:feed", _("Success stories (RSS)"))]
