"""The experiences pages, under /experiences/ in the ``experiences`` namespace."""

from django.urls import URLPattern, path

from kansrijk.web import converters
from kansrijk.web.experiences import views

converters.register()  # the <id:...> routes below

app_name = "experiences"

ROUND = "rounds/<id:round_pk>/"
TRANSCRIPT = ROUND + "transcripts/<id:transcript_pk>/"

urlpatterns: list[URLPattern] = [
    path("", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path(ROUND, views.round_detail, name="round"),
    path(ROUND + "researchers/", views.researcher_add, name="researcher_add"),
    path(ROUND + "guide/new/", views.guide_new, name="guide_new"),
    path(ROUND + "sessions/new/", views.session_new, name="session_new"),
    path(
        ROUND + "sessions/<id:session_pk>/participants/new/",
        views.respondent_new,
        name="respondent_new",
    ),
    path(
        ROUND + "participants/<id:respondent_pk>/withdraw/",
        views.respondent_withdraw,
        name="respondent_withdraw",
    ),
    path(
        ROUND + "sessions/<id:session_pk>/import/",
        views.transcript_import,
        name="transcript_import",
    ),
    path(
        ROUND + "sessions/<id:session_pk>/import/store/",
        views.transcript_store,
        name="transcript_store",
    ),
    path(TRANSCRIPT, views.transcript_detail, name="transcript"),
    path(TRANSCRIPT + "fragments/", views.fragment_new, name="fragment_new"),
    path(
        TRANSCRIPT + "fragments/<id:fragment_pk>/codes/",
        views.fragment_codes,
        name="fragment_codes",
    ),
    path(TRANSCRIPT + "done/", views.coding_done, name="coding_done"),
    path(TRANSCRIPT + "consensus/", views.consensus, name="consensus"),
    path(
        TRANSCRIPT + "fragments/<id:fragment_pk>/quote/",
        views.quote_new,
        name="quote_new",
    ),
    path(ROUND + "quotes/", views.quotes, name="quotes"),
    path(ROUND + "quotes/<id:quote_pk>/approve/", views.quote_approve, name="quote_approve"),
    path(ROUND + "quotes/<id:quote_pk>/remove/", views.quote_remove, name="quote_remove"),
    path(ROUND + "export.qdpx", views.qdpx_export, name="qdpx_export"),
    path("rounds/import/", views.qdpx_import, name="qdpx_import"),
    path(ROUND + "codes/new/", views.code_new, name="code_new"),
    path(ROUND + "memos/", views.memo_new, name="memo_new"),
]
