"""The retention holds pages. They are mounted in the ``care`` namespace by ``care.urls`` (under
/care/), so their addresses and URL names stayed the same when the app was split off."""

from django.urls import URLPattern, path

from kansrijk.web import converters
from kansrijk.web.retention import views

converters.register()  # the <id:...> routes below

urlpatterns: list[URLPattern] = [
    path("clients/<id:pk>/holds/", views.retention_holds, name="retention_holds"),
    path(
        "clients/<id:pk>/holds/<id:hold_pk>/lift/",
        views.retention_hold_lift,
        name="retention_hold_lift",
    ),
]
