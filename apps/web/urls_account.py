"""The viewer's own things: requests, and "me" (preferences, notifications, history, devices, tokens)."""

from django.urls import path

from apps.web.views import account

urlpatterns = [
    path("requests/", account.requests_page, name="requests"),
    path("me/", account.me_page, name="me"),
]
