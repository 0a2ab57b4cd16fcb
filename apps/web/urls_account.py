"""The viewer's own things: requests, and "me" (preferences, notifications, history, devices, tokens)."""

from django.urls import path

from apps.web.views import me, me_notify, me_playback, me_security, requests

urlpatterns = [
    path("requests/", requests.requests_page, name="requests"),
    path("requests/new/", requests.request_make, name="request-make"),
    path("requests/<int:request_id>/cancel/", requests.request_cancel, name="request-cancel"),
    path("me/", me.me_page, name="me"),
    path("me/notifications/", me.notifications_page, name="me-notifications"),
    path("me/notifications/read-all/", me.notifications_read_all, name="me-notifications-read-all"),
    path("me/notifications/<int:notification_id>/read/", me.notification_read, name="me-notification-read"),
    path("me/preferences/", me_notify.preferences_page, name="me-preferences"),
    path("me/channels/new/", me_notify.channel_add, name="me-channel-add"),
    path("me/channels/<int:channel_id>/delete/", me_notify.channel_delete, name="me-channel-delete"),
    path("me/history/", me.history_page, name="me-history"),
    path("me/playback/", me_playback.playback_page, name="me-playback"),
    path("me/tokens/", me_security.tokens_page, name="me-tokens"),
    path("me/tokens/<int:token_id>/revoke/", me_security.token_revoke, name="me-token-revoke"),
    path("me/password/", me_security.password_page, name="me-password"),
    path("me/sessions/", me_security.sessions_page, name="me-sessions"),
    path("me/sessions/<int:session_id>/end/", me_security.session_end, name="me-session-end"),
    path("me/sessions/end-all/", me_security.sign_out_everywhere, name="me-sign-out-everywhere"),
]
