"""Sign in and out with a session, and see and end your (or, for managers, others') sessions and tokens."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts import origin, session_selectors
from apps.accounts.api.session_serializers import (
    DeviceSerializer,
    LoginSerializer,
    LogoutAllResultSerializer,
    LogoutAllSerializer,
)
from apps.accounts.api.user_serializers import UserMeSerializer
from apps.accounts.models import ApiToken
from apps.accounts.services import sessions, tokens
from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Public
from apps.core.api.throttling import AuthRateThrottle
from apps.core.api.viewsets import BaseAPIView


def _current(request: Request) -> dict:
    """What this request is signed in with: its token, or else its session."""
    if isinstance(request.auth, ApiToken):
        return {"token_id": request.auth.pk, "session_key": None}
    return {"token_id": None, "session_key": request.session.session_key}


class CrossSiteLogin(exceptions.PermissionDenied):
    default_code = "csrf_failed"


class LoginView(BaseAPIView):
    """Sign in with a username and password (JSON, or a form with a CSRF token); the session cookie keeps you in."""

    action_permissions = ActionPermissions(
        {"post": Public("signing in: the password is the credential"), "options": Public("describes signing in")}
    )
    throttle_classes = [AuthRateThrottle]

    @extend_schema(request=LoginSerializer, responses={200: UserMeSerializer})
    def post(self, request: Request) -> Response:
        refused = origin.cross_site_refusal(request)
        if refused:
            raise CrossSiteLogin(refused)
        form = LoginSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = sessions.session_login(request=request, **form.validated_data)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid username or password.")
        return Response(UserMeSerializer(user).data)


class LogoutView(BaseAPIView):
    """Sign out: end this session, or revoke the API token this request was made with."""

    action_permissions = ActionPermissions({"post": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        sessions.request_logout(request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(BaseAPIView):
    """End every session and API token of yourself, or of a user you manage."""

    # Whose sessions: decided by session_selectors.device_owner (yours, or a user you may manage).
    action_permissions = ActionPermissions({"post": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(request=LogoutAllSerializer, responses={200: LogoutAllResultSerializer})
    def post(self, request: Request) -> Response:
        form = LogoutAllSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        owner = session_selectors.device_owner(viewer=request.user, user_id=form.validated_data.get("user"))
        ended = sessions.user_logout_everywhere(user=owner, by=request.user)
        if owner.pk == request.user.pk:
            request.session.flush()  # this session was ended too: drop its cookie as well
        return Response(LogoutAllResultSerializer(ended).data)


class SessionListView(BaseAPIView):
    """Your signed-in sessions and API tokens (or a managed user's, with ?user=), newest first."""

    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(
        parameters=[OpenApiParameter("user", OpenApiTypes.INT, description="Another user's id (managers only).")],
        responses={200: DeviceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        owner = session_selectors.device_owner(viewer=request.user, user_id=request.query_params.get("user"))
        devices = session_selectors.devices_of(user=owner, viewer=request.user)
        return Response(DeviceSerializer(devices, many=True, context=_current(request)).data)


class SessionDetailView(BaseAPIView):
    """End one session or revoke one API token by its id ("session-<n>" or "token-<n>")."""

    action_permissions = ActionPermissions({"delete": SIGNED_IN, "options": SIGNED_IN})

    @extend_schema(
        parameters=[OpenApiParameter("device_id", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={204: None},
    )
    def delete(self, request: Request, device_id: str) -> Response:
        found = session_selectors.device_find(viewer=request.user, device_id=device_id)
        if found is None:
            raise exceptions.NotFound("No such session or token.")
        if isinstance(found, ApiToken):
            tokens.token_revoke(token=found, by=request.user)
        else:
            sessions.session_revoke(user=found.user, session_id=found.pk, by=request.user)
            if found.session_key == _current(request)["session_key"]:
                request.session.flush()
        return Response(status=status.HTTP_204_NO_CONTENT)
