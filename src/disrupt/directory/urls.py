from django.urls import path

from disrupt.directory.views import accounts, agencies, countries, users

app_name = "directory"

urlpatterns = [
    path("me/", accounts.profile, name="profile"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<str:code>/", countries.country_detail, name="country_detail"),
    path("countries/<str:code>/standing/new/", countries.standing_create, name="standing_create"),
    path("agencies/", agencies.agency_list, name="agency_list"),
    path("agencies/new/", agencies.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", agencies.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", agencies.agency_edit, name="agency_edit"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", users.user_edit, name="user_edit"),
]
