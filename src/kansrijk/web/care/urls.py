from django.urls import path

from kansrijk.web import converters
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

converters.register()  # the <id:...> routes below

app_name = "care"
urlpatterns = [
    path("", clients.caseload, name="caseload"),
    path("clients/new/", clients.register, name="register"),
    path("clients/<id:pk>/", clients.client, name="client"),
    path("clients/<id:pk>/child/", clients.add_child, name="add_child"),
    path("clients/<id:pk>/notes/", clients.add_note, name="add_note"),
    path("clients/<id:pk>/consents/new/", clients.consent_new, name="consent_new"),
    path(
        "clients/<id:pk>/consents/<id:consent_pk>/withdraw/",
        clients.consent_withdraw,
        name="consent_withdraw",
    ),
    path("clients/<id:pk>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("clients/<id:pk>/signals/new/", signals.signal_new, name="signal_new"),
    path("clients/<id:pk>/signals/<id:signal_pk>/", signals.signal, name="signal"),
    path(
        "clients/<id:pk>/signals/<id:signal_pk>/routes/<slug:route_code>/<id:step>/refer/",
        signals.signal_refer,
        name="signal_refer",
    ),
    path("clients/<id:pk>/contact-person/", clients.hand_over, name="hand_over"),
    path("clients/<id:pk>/timeline/", timeline.timeline, name="timeline"),
    path("clients/<id:pk>/plan/", plans.care_plan, name="care_plan"),
    path("clients/<id:pk>/plan/goals/", plans.goal_new, name="goal_new"),
    path("clients/<id:pk>/plan/goals/<id:goal_pk>/close/", plans.goal_close, name="goal_close"),
    path("clients/<id:pk>/plan/tasks/", plans.task_new, name="task_new"),
    path("clients/<id:pk>/plan/tasks/<id:task_pk>/done/", plans.task_done, name="task_done"),
    path("clients/<id:pk>/team/", plans.team_join, name="team_join"),
    path("clients/<id:pk>/team/<id:member_pk>/end/", plans.team_leave, name="team_leave"),
    path("clients/<id:pk>/access-log/", oversight.access_overview, name="access_overview"),
    path("clients/<id:pk>/record/", record.record_export, name="record_export"),
    path("clients/<id:pk>/holds/", oversight.retention_holds, name="retention_holds"),
    path(
        "clients/<id:pk>/holds/<id:hold_pk>/lift/",
        oversight.retention_hold_lift,
        name="retention_hold_lift",
    ),
    path("referrals/", referrals.referrals, name="referrals"),
    path("referrals/<id:referral_pk>/", referrals.referral, name="referral"),
    path(
        "referrals/<id:referral_pk>/reassign/",
        referrals.referral_reassign,
        name="referral_reassign",
    ),
    path(
        "referrals/<id:referral_pk>/<slug:action>/",
        referrals.referral_action,
        name="referral_action",
    ),
    path("conferences/", conferences.conference_list, name="conferences"),
    path("conferences/new/", conferences.conference_new, name="conference_new"),
    path("conferences/<id:conference_pk>/", conferences.conference, name="conference"),
    path(
        "conferences/<id:conference_pk>/participants/add/",
        conferences.participant_add,
        name="conference_participant_add",
    ),
    path(
        "conferences/<id:conference_pk>/participants/<id:participant_pk>/remove/",
        conferences.participant_remove,
        name="conference_participant_remove",
    ),
    path(
        "conferences/<id:conference_pk>/items/new/",
        conferences.item_new,
        name="conference_item_new",
    ),
    path(
        "conferences/<id:conference_pk>/items/<id:item_pk>/",
        conferences.item,
        name="conference_item",
    ),
    path(
        "conferences/<id:conference_pk>/items/<id:item_pk>/minutes/",
        conferences.item_minutes,
        name="conference_item_minutes",
    ),
    path(
        "conferences/<id:conference_pk>/items/<id:item_pk>/decisions/",
        conferences.decision,
        name="conference_decision",
    ),
    path("conferences/<id:conference_pk>/minutes/", conferences.minutes, name="conference_minutes"),
    path(
        "conferences/<id:conference_pk>/finalise/",
        conferences.finalise,
        name="conference_finalise",
    ),
    path("routes/", routes.route_list, name="routes"),
    path("routes/<slug:code>/", routes.route_detail, name="route"),
    path("routes/<slug:code>/variant/", routes.route_variant, name="route_variant"),
    path("emergency/", oversight.emergency, name="emergency"),
    path("emergency/review/", oversight.emergency_reviews, name="emergency_reviews"),
    path(
        "emergency/<id:emergency_pk>/review/", oversight.emergency_review, name="emergency_review"
    ),
    path("audit/", oversight.audit_log, name="audit_log"),
    path("api/clients/", api.api_clients, name="api_clients"),
    path("api/clients/<id:pk>/", api.api_client, name="api_client"),
]
