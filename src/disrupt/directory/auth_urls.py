"""Sign-in, sign-out, password reset and two-factor pages (un-namespaced, as Django's auth expects)."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", auth_views.LoginView.as_view(), name="two_factor_setup"),
    path("two-factor/verify/", auth_views.LoginView.as_view(), name="two_factor_verify"),
]
