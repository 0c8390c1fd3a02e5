"""Pages of the coalition registry (read-only; editing happens in the admin)."""

from django.urls import path

from kansrijk.web import converters
from kansrijk.web.coalitions import views

converters.register()  # the <id:...> routes below

app_name = "coalitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("<id:pk>/", views.detail, name="detail"),
    path("municipality/<str:code>/", views.municipality, name="municipality"),
    path("menu/", views.menu, name="menu"),
]
