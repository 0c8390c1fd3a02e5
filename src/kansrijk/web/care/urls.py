from django.urls import path

from kansrijk.web.care.views import api, clients, oversight, referrals, signals

app_name = "care"
urlpatterns = [
    path("", clients.caseload, name="caseload"),
    path("clients/new/", clients.register, name="register"),
    path("clients/<int:pk>/", clients.client, name="client"),
    path("clients/<int:pk>/child/", clients.add_child, name="add_child"),
    path("clients/<int:pk>/notes/", clients.add_note, name="add_note"),
    path("clients/<int:pk>/consents/new/", clients.consent_new, name="consent_new"),
    path(
        "clients/<int:pk>/consents/<int:consent_pk>/withdraw/",
        clients.consent_withdraw,
        name="consent_withdraw",
    ),
    path("clients/<int:pk>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("clients/<int:pk>/signals/new/", signals.signal_new, name="signal_new"),
    path("clients/<int:pk>/signals/<int:signal_pk>/", signals.signal, name="signal"),
    path(
        "clients/<int:pk>/signals/<int:signal_pk>/routes/<slug:route_code>/<int:step>/refer/",
        signals.signal_refer,
        name="signal_refer",
    ),
    path("clients/<int:pk>/contact-person/", clients.hand_over, name="hand_over"),
    path("clients/<int:pk>/access-log/", oversight.access_overview, name="access_overview"),
    path("referrals/", referrals.referrals, name="referrals"),
    path("referrals/<int:referral_pk>/", referrals.referral, name="referral"),
    path(
        "referrals/<int:referral_pk>/<slug:action>/",
        referrals.referral_action,
        name="referral_action",
    ),
    path("emergency/", oversight.emergency, name="emergency"),
    path("emergency/review/", oversight.emergency_reviews, name="emergency_reviews"),
    path(
        "emergency/<int:emergency_pk>/review/", oversight.emergency_review, name="emergency_review"
    ),
    path("audit/", oversight.audit_log, name="audit_log"),
    path("api/clients/", api.api_clients, name="api_clients"),
    path("api/clients/<int:pk>/", api.api_client, name="api_client"),
]
