from django.urls import path

from newsletter import views
from newsletter.feeds import IssueFeed

app_name = "newsletter"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/short/", views.subscribe_short, name="subscribe_short"),
    path("subscribe/check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("accept/<str:token>/", views.accept_invitation, name="accept"),
    # RSS of the issues; ".xml" is a suffix no page slug can have.
    path("feed.xml", IssueFeed(), name="feed"),
]
