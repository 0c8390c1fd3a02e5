"""The referral, signal and route pages. They are mounted in the ``care`` namespace by
``care.urls`` (under /care/), so their addresses and URL names stayed the same when the app was
split off."""

from django.urls import URLPattern, path

from kansrijk.web import converters
from kansrijk.web.referrals.views import referrals, routes, signals

converters.register()  # the <id:...> routes below

urlpatterns: list[URLPattern] = [
    path("clients/<id:pk>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("clients/<id:pk>/signals/new/", signals.signal_new, name="signal_new"),
    path("clients/<id:pk>/signals/<id:signal_pk>/", signals.signal, name="signal"),
    path(
        "clients/<id:pk>/signals/<id:signal_pk>/routes/<slug:route_code>/<id:step>/refer/",
        signals.signal_refer,
        name="signal_refer",
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
    path("routes/", routes.route_list, name="routes"),
    path("routes/<slug:code>/", routes.route_detail, name="route"),
    path("routes/<slug:code>/variant/", routes.route_variant, name="route_variant"),
]
