from django.urls import path

from apps.accounts.api.views import UserMeView

urlpatterns = [
    path("users/me/", UserMeView.as_view(), name="user-me"),
]
