from django.urls import path

from kansrijk.web.coalitions import views

app_name = "coalitions"
urlpatterns = [
    path("", views.index, name="index"),
]
