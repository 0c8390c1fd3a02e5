"""The practice library's pages, under /practices/ in the ``practices`` namespace."""

from django.urls import URLPattern, path

from kansrijk.web import converters
from kansrijk.web.practices import views

converters.register()  # the <id:...> routes below

app_name = "practices"

PRACTICE = "<id:practice_pk>/"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("like-mine/", views.like_mine, name="like_mine"),
    path("new/", views.new, name="new"),
    path(PRACTICE, views.detail, name="detail"),
    path(PRACTICE + "edit/", views.edit, name="edit"),
    path(PRACTICE + "publish/", views.publish, name="publish"),
    path(PRACTICE + "unpublish/", views.unpublish, name="unpublish"),
]
