"""URL map of the coalition platform."""

from django.contrib import admin
from django.urls import include, path

from kansrijk.web import views

admin.site.site_header = "Kansrijk"
admin.site.site_title = "Kansrijk"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("kansrijk.web.accounts.urls")),
    # The admin signs in through the same two-factor login as the rest of the site.
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    path("coalitions/", include("kansrijk.web.coalitions.urls")),
    path("questionnaire/", include("kansrijk.web.survey.urls")),
    path("programme/", include("kansrijk.web.programme.urls")),
    path("monitor/", include("kansrijk.web.monitor.urls")),
    path("care/", include("kansrijk.web.care.urls")),
]
