from django.urls import path

from kansrijk.web.care import views

app_name = "care"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("clients/new/", views.register, name="register"),
    path("clients/<int:pk>/", views.client, name="client"),
    path("clients/<int:pk>/child/", views.add_child, name="add_child"),
    path("clients/<int:pk>/notes/", views.add_note, name="add_note"),
    path("clients/<int:pk>/consents/new/", views.consent_new, name="consent_new"),
    path(
        "clients/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("clients/<int:pk>/referrals/new/", views.referral_new, name="referral_new"),
    path("clients/<int:pk>/signals/new/", views.signal_new, name="signal_new"),
    path("clients/<int:pk>/signals/<int:signal_pk>/", views.signal, name="signal"),
    path(
        "clients/<int:pk>/signals/<int:signal_pk>/routes/<slug:route_code>/<int:step>/refer/",
        views.signal_refer,
        name="signal_refer",
    ),
    path("clients/<int:pk>/contact-person/", views.hand_over, name="hand_over"),
    path("clients/<int:pk>/access-log/", views.access_overview, name="access_overview"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:referral_pk>/", views.referral, name="referral"),
    path(
        "referrals/<int:referral_pk>/<slug:action>/",
        views.referral_action,
        name="referral_action",
    ),
    path("emergency/", views.emergency, name="emergency"),
    path("emergency/review/", views.emergency_reviews, name="emergency_reviews"),
    path("emergency/<int:emergency_pk>/review/", views.emergency_review, name="emergency_review"),
    path("audit/", views.audit_log, name="audit_log"),
    path("api/clients/", views.api_clients, name="api_clients"),
    path("api/clients/<int:pk>/", views.api_client, name="api_client"),
]
