"""The ``care`` URL namespace (/care/): the care pages and those of the apps split off from it
(``audit``, ``conferences``, ``referrals``, ``retention``), so that every address and URL name
stayed the same."""

from django.urls import path

from kansrijk.web import converters
from kansrijk.web.audit import urls as audit_urls
from kansrijk.web.care.views import (
    api,
    clients,
    oversight,
    plans,
    record,
    timeline,
)
from kansrijk.web.conferences import urls as conference_urls
from kansrijk.web.referrals import urls as referral_urls
from kansrijk.web.retention import urls as retention_urls

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
    path("clients/<id:pk>/contact-person/", clients.hand_over, name="hand_over"),
    path("clients/<id:pk>/timeline/", timeline.timeline, name="timeline"),
    path("clients/<id:pk>/plan/", plans.care_plan, name="care_plan"),
    path("clients/<id:pk>/plan/goals/", plans.goal_new, name="goal_new"),
    path("clients/<id:pk>/plan/goals/<id:goal_pk>/close/", plans.goal_close, name="goal_close"),
    path("clients/<id:pk>/plan/tasks/", plans.task_new, name="task_new"),
    path("clients/<id:pk>/plan/tasks/<id:task_pk>/done/", plans.task_done, name="task_done"),
    path("clients/<id:pk>/team/", plans.team_join, name="team_join"),
    path("clients/<id:pk>/team/<id:member_pk>/end/", plans.team_leave, name="team_leave"),
    path("clients/<id:pk>/record/", record.record_export, name="record_export"),
    path("emergency/", oversight.emergency, name="emergency"),
    path("emergency/review/", oversight.emergency_reviews, name="emergency_reviews"),
    path(
        "emergency/<id:emergency_pk>/review/", oversight.emergency_review, name="emergency_review"
    ),
    path("api/clients/", api.api_clients, name="api_clients"),
    path("api/clients/<id:pk>/", api.api_client, name="api_client"),
    # The split-off apps keep their pages under /care/ and in this namespace.
    *audit_urls.urlpatterns,
    *conference_urls.urlpatterns,
    *referral_urls.urlpatterns,
    *retention_urls.urlpatterns,
]
