from django.urls import path

from kansrijk.web.survey import views

app_name = "survey"
urlpatterns = [
    path("", views.index, name="index"),
]
