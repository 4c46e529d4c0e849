from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "follow"

urlpatterns = [
    path("<slug:view>/feed/", require_safe(feeds.ListFeed()), name="feed"),
    path("<slug:view>/subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:signed>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:signed>/", views.unsubscribe, name="unsubscribe"),
]
