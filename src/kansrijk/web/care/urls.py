from django.urls import path

from kansrijk.web.care.views import (
    api,
    clients,
    conferences,
    oversight,
    plans,
    record,
    referrals,
    routes,
    signals,
    timeline,
)

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
    path("clients/<int:pk>/timeline/", timeline.timeline, name="timeline"),
    path("clients/<int:pk>/plan/", plans.care_plan, name="care_plan"),
    path("clients/<int:pk>/plan/goals/", plans.goal_new, name="goal_new"),
    path("clients/<int:pk>/plan/goals/<int:goal_pk>/close/", plans.goal_close, name="goal_close"),
    path("clients/<int:pk>/plan/tasks/", plans.task_new, name="task_new"),
    path("clients/<int:pk>/plan/tasks/<int:task_pk>/done/", plans.task_done, name="task_done"),
    path("clients/<int:pk>/team/", plans.team_join, name="team_join"),
    path("clients/<int:pk>/team/<int:member_pk>/end/", plans.team_leave, name="team_leave"),
    path("clients/<int:pk>/access-log/", oversight.access_overview, name="access_overview"),
    path("clients/<int:pk>/record/", record.record_export, name="record_export"),
    path("clients/<int:pk>/holds/", oversight.retention_holds, name="retention_holds"),
    path(
        "clients/<int:pk>/holds/<int:hold_pk>/lift/",
        oversight.retention_hold_lift,
        name="retention_hold_lift",
    ),
    path("referrals/", referrals.referrals, name="referrals"),
    path("referrals/<int:referral_pk>/", referrals.referral, name="referral"),
    path(
        "referrals/<int:referral_pk>/reassign/",
        referrals.referral_reassign,
        name="referral_reassign",
    ),
    path(
        "referrals/<int:referral_pk>/<slug:action>/",
        referrals.referral_action,
        name="referral_action",
    ),
    path("conferences/", conferences.conference_list, name="conferences"),
    path("conferences/new/", conferences.conference_new, name="conference_new"),
    path("conferences/<int:conference_pk>/", conferences.conference, name="conference"),
    path(
        "conferences/<int:conference_pk>/participants/add/",
        conferences.participant_add,
        name="conference_participant_add",
    ),
    path(
        "conferences/<int:conference_pk>/participants/<int:participant_pk>/remove/",
        conferences.participant_remove,
        name="conference_participant_remove",
    ),
    path(
        "conferences/<int:conference_pk>/items/new/",
        conferences.item_new,
        name="conference_item_new",
    ),
    path(
        "conferences/<int:conference_pk>/items/<int:item_pk>/",
        conferences.item,
        name="conference_item",
    ),
    path(
        "conferences/<int:conference_pk>/items/<int:item_pk>/minutes/",
        conferences.item_minutes,
        name="conference_item_minutes",
    ),
    path(
        "conferences/<int:conference_pk>/items/<int:item_pk>/decisions/",
        conferences.decision,
        name="conference_decision",
    ),
    path(
        "conferences/<int:conference_pk>/minutes/", conferences.minutes, name="conference_minutes"
    ),
    path(
        "conferences/<int:conference_pk>/finalise/",
        conferences.finalise,
        name="conference_finalise",
    ),
    path("routes/", routes.route_list, name="routes"),
    path("routes/<slug:code>/", routes.route_detail, name="route"),
    path("routes/<slug:code>/variant/", routes.route_variant, name="route_variant"),
    path("emergency/", oversight.emergency, name="emergency"),
    path("emergency/review/", oversight.emergency_reviews, name="emergency_reviews"),
    path(
        "emergency/<int:emergency_pk>/review/", oversight.emergency_review, name="emergency_review"
    ),
    path("audit/", oversight.audit_log, name="audit_log"),
    path("api/clients/", api.api_clients, name="api_clients"),
    path("api/clients/<int:pk>/", api.api_client, name="api_client"),
]
