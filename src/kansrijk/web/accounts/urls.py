from django.urls import path

from kansrijk.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.setup, name="setup"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
