"""The site's URLs plus views that fail in the ways the operations tests need."""

from django.db import InterfaceError, OperationalError
from django.urls import path

from gcm_tracker.urls import urlpatterns as site_urlpatterns


def database_refuses(request):
    raise OperationalError('connection to server at "db" (10.0.0.9), port 5432 failed')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def bug(request):
    raise ValueError("secret internals: password=hunter2")


urlpatterns = [
    path("test/database-refuses/", database_refuses),
    path("api/test/database-refuses/", database_refuses),
    path("test/connection-closed/", connection_closed),
    path("test/bug/", bug),
    *site_urlpatterns,
]

handler500 = "gcm_tracker.ops.views.server_error"
