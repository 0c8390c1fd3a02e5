from django.urls import path

from kansrijk.web.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("recompute/", views.recompute, name="recompute"),
    path("download/<str:fmt>/", views.download, name="download"),
]
