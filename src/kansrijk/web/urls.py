"""URL map of the coalition platform."""

from django.contrib import admin
from django.urls import include, path

from kansrijk.web import converters, views

# Before the includes below: their routes use <id:...>.
converters.register()

admin.site.site_header = "Kansrijk"
admin.site.site_title = "Kansrijk"

# Error pages in the site's layout, Dutch first (the CSRF page: settings.CSRF_FAILURE_VIEW).
handler400 = "kansrijk.web.views.bad_request"
handler403 = "kansrijk.web.views.permission_denied"
handler404 = "kansrijk.web.views.page_not_found"
handler500 = "kansrijk.web.views.server_error"

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
    path("experiences/", include("kansrijk.web.experiences.urls")),
    path("practices/", include("kansrijk.web.practices.urls")),
]
