"""The case conference pages. They are mounted in the ``care`` namespace by ``care.urls`` (under
/care/), so their addresses and URL names stayed the same when the app was split off."""

from django.urls import URLPattern, path

from kansrijk.web import converters
from kansrijk.web.conferences import views

converters.register()  # the <id:...> routes below

urlpatterns: list[URLPattern] = [
    path("conferences/", views.conference_list, name="conferences"),
    path("conferences/new/", views.conference_new, name="conference_new"),
    path("conferences/<id:conference_pk>/", views.conference, name="conference"),
    path(
        "conferences/<id:conference_pk>/participants/add/",
        views.participant_add,
        name="conference_participant_add",
    ),
    path(
        "conferences/<id:conference_pk>/participants/<id:participant_pk>/remove/",
        views.participant_remove,
        name="conference_participant_remove",
    ),
    path(
        "conferences/<id:conference_pk>/items/new/",
        views.item_new,
        name="conference_item_new",
    ),
    path(
        "conferences/<id:conference_pk>/items/<id:item_pk>/",
        views.item,
        name="conference_item",
    ),
    path(
        "conferences/<id:conference_pk>/items/<id:item_pk>/minutes/",
        views.item_minutes,
        name="conference_item_minutes",
    ),
    path(
        "conferences/<id:conference_pk>/items/<id:item_pk>/decisions/",
        views.decision,
        name="conference_decision",
    ),
    path("conferences/<id:conference_pk>/minutes/", views.minutes, name="conference_minutes"),
    path(
        "conferences/<id:conference_pk>/finalise/",
        views.finalise,
        name="conference_finalise",
    ),
]
