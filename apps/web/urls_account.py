"""The viewer's own things: requests, and "me" (preferences, notifications, history, devices, tokens)."""

from django.urls import path

from apps.web.views import account, requests

urlpatterns = [
    path("requests/", requests.requests_page, name="requests"),
    path("requests/new/", requests.request_make, name="request-make"),
    path("requests/<int:request_id>/cancel/", requests.request_cancel, name="request-cancel"),
    path("me/", account.me_page, name="me"),
]
