"""The discussion's public views under /<language>/discussion/ (a page slugged
"discussion" at the top of a language tree would be hidden by them)."""

from django.urls import path

from discussion import views

app_name = "discussion"

urlpatterns = [
    path("<int:page_id>/post/", views.post, name="post"),
    path("thank-you/", views.posted, name="posted"),
    path("house-rules/", views.rules, name="rules"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("emails/<str:token>/stop/", views.stop, name="stop"),
    path("report/<int:contribution_id>/", views.report, name="report"),
]
