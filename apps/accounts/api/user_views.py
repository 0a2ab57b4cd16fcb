from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.generics import RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts import selectors
from apps.accounts.api.user_serializers import (
    RoleSerializer,
    TokenCreatedSerializer,
    TokenRequestSerializer,
    UnlockSerializer,
    UserMeSerializer,
    UserSerializer,
)
from apps.accounts.models import User
from apps.accounts.services import lockout, roles, tokens, users
from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Perm, Public
from apps.core.api.throttling import AuthRateThrottle
from apps.core.api.viewsets import BaseAPIView, BaseGenericAPIView, BaseViewSet


class UserMeView(BaseGenericAPIView, RetrieveAPIView):
    """The user making the request, with the settings that apply to them."""

    serializer_class = UserMeSerializer
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    def get_object(self) -> User:
        return self.request.user


class TokenCreateView(BaseAPIView):
    """Trade a username and password for a named API token (shown once), e.g. for a TV app."""

    action_permissions = ActionPermissions(
        {"post": Public("signing in: the password is the credential"), "options": Public("describes signing in")}
    )
    throttle_classes = [AuthRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = tokens.api_token_login(request=request, **form.validated_data)
        if created is None:
            raise exceptions.AuthenticationFailed("Invalid username or password.")
        token, raw_key = created
        body = {"id": token.pk, "token": raw_key, "name": token.name, "prefix": token.prefix}
        body["expires_at"] = token.expires_at
        return Response(TokenCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class UserViewSet(BaseViewSet):
    """Users of your rank or lower (managers); everyone else sees only themselves."""

    selector = selectors.users_visible_to
    serializer_class = UserSerializer
    action_permissions = ActionPermissions(
        {
            "list": Perm("accounts.view_user"),
            "retrieve": Perm("accounts.view_user"),
            "create": Perm("accounts.add_user"),
            "update": Perm("accounts.change_user"),
            "partial_update": Perm("accounts.change_user"),
            "destroy": Perm("accounts.delete_user"),
            "unlock": Perm("accounts.change_user"),
            "metadata": SIGNED_IN,
        }
    )
    search_fields = ["username", "display_name", "email"]
    ordering_fields = ["username", "date_joined", "last_login"]
    filterset_fields = ["is_active"]

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = users.user_create(by=self.request.user, password=data.pop("password", ""), **data)

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = users.user_update(
            user=serializer.instance, by=self.request.user, request=self.request, **data
        )

    def perform_destroy(self, instance: User) -> None:
        users.user_delete(user=instance, by=self.request.user)

    @extend_schema(request=None, responses={200: UnlockSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str | None = None) -> Response:
        """Lift the login lockout of this user (every tier, the until-unlocked one included)."""
        user = self.get_object()
        cleared = lockout.user_unlock(user=user, by=request.user)
        return Response({"unlocked": cleared > 0, "counters_cleared": cleared})


class RoleViewSet(BaseViewSet):
    """Roles: built-in and custom; creating and changing them needs permissions and follows the ranks."""

    selector = selectors.roles_visible_to
    serializer_class = RoleSerializer
    action_permissions = ActionPermissions(
        {
            "list": Perm("accounts.view_role"),
            "retrieve": Perm("accounts.view_role"),
            "create": Perm("accounts.add_role"),
            "update": Perm("accounts.change_role"),
            "partial_update": Perm("accounts.change_role"),
            "destroy": Perm("accounts.delete_role"),
            "metadata": SIGNED_IN,
        }
    )
    ordering_fields = ["rank"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("group__permissions__content_type")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        group = data.pop("group", {})
        serializer.instance = roles.role_create(
            by=self.request.user, name=group.get("name", ""), permissions=group.get("permissions", []), **data
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        group = data.pop("group", {})
        serializer.instance = roles.role_update(
            role=serializer.instance,
            by=self.request.user,
            name=group.get("name"),
            permissions=group.get("permissions"),
            **data,
        )

    def perform_destroy(self, instance) -> None:
        roles.role_delete(role=instance, by=self.request.user)
