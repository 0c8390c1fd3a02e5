"""URLs of the questionnaire, mounted at /questionnaire/."""

from django.urls import path

from kansrijk.web.survey import views

app_name = "survey"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:edition>/", views.fill, name="fill"),
    path("<int:edition>/status/", views.status, name="status"),
    path("<int:edition>/remind/", views.remind, name="remind"),
    path("<int:edition>/export/<str:fmt>/", views.export, name="export"),
    path("<int:edition>/import/", views.import_responses, name="import"),
    path("<int:edition>/responses/<str:code>/", views.response, name="response"),
    path("<int:edition>/responses/<str:code>/reopen/", views.reopen, name="reopen"),
]
