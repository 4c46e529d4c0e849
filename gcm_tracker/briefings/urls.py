from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.pack_form, name="pack-form"),
    path("<int:pk>/", views.pack_status, name="pack-status"),
    path("<int:pk>/download/", views.pack_download, name="pack-download"),
]
