"""The audit log's pages. They are mounted in the ``care`` namespace by ``care.urls`` (under
/care/), so their addresses and URL names stayed the same when the app was split off."""

from django.urls import URLPattern, path

from kansrijk.web import converters
from kansrijk.web.audit import views

converters.register()  # the <id:...> routes below

urlpatterns: list[URLPattern] = [
    path("clients/<id:pk>/access-log/", views.access_overview, name="access_overview"),
    path("audit/", views.audit_log, name="audit_log"),
]
