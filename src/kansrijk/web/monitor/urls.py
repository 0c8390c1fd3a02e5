"""URLs of the web monitor (Dutch paths, as the issue names them)."""

from django.urls import path

from kansrijk.web import converters
from kansrijk.web.monitor import views

converters.register()  # the <id:...> routes below

app_name = "monitor"
urlpatterns = [
    path("", views.index, name="index"),
    path("nationaal/", views.national, name="national"),
    path("gemeente/<str:code>/", views.local, name="local"),
    path("gemeente/<str:code>/vergelijk/<str:indicator_id>/", views.compare, name="compare"),
    path("gemeente/<str:code>/download/<str:fmt>", views.download, name="download"),
    path("download/<str:name>", views.results, name="results"),
    path(
        "grafiek/<str:run_id>/<str:lang>/<str:kind>/<str:indicator_id>/<str:region>.json",
        views.spec,
        name="spec",
    ),
    path("grenzen/<id:year>.json", views.boundaries, name="boundaries"),
    path("vega-embed/<str:version>.js", views.bundle, name="bundle"),
]
