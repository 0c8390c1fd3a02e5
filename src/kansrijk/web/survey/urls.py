"""URLs of the questionnaire, mounted at /questionnaire/."""

from django.urls import path

from kansrijk.web import converters
from kansrijk.web.survey import views

converters.register()  # the <id:...> routes below

app_name = "survey"
urlpatterns = [
    path("", views.index, name="index"),
    path("<id:edition>/", views.fill, name="fill"),
    path("<id:edition>/status/", views.status, name="status"),
    path("<id:edition>/remind/", views.remind, name="remind"),
    path("<id:edition>/export/<str:fmt>/", views.export, name="export"),
    path("<id:edition>/import/", views.import_responses, name="import"),
    path("<id:edition>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<id:edition>/deadline/", views.deadline, name="deadline"),
    path("<id:edition>/responses/<str:code>/", views.response, name="response"),
    path("<id:edition>/responses/<str:code>/reopen/", views.reopen, name="reopen"),
]
