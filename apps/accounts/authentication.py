"""API token authentication: `Authorization: Token <key>` or `Authorization: Bearer <key>`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

# schema: its OpenAPI description, registered wherever the class is loaded (every API view, the schema) and not at
# start-up, where drf-spectacular took a third of a management command's set-up time.
from apps.accounts import ip_rules, schema  # noqa: F401
from apps.accounts.models import ApiToken, User
from apps.accounts.services import tokens
from apps.core.client_ip import client_ip

KEYWORDS = (b"token", b"bearer")


class IPRefused(exceptions.PermissionDenied):
    default_detail = ip_rules.REFUSED_MESSAGE
    default_code = "ip_blocked"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: expected '<keyword> <token>'."))
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header: the token has invalid characters.")) from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=tokens.token_hash(raw_key)).first()
        if token is None or token.is_expired:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # The IP middleware ran before DRF knew this user: "staff only from" is decided again, for them.
        django_request = getattr(request, "_request", request)
        kind = ip_rules.refusal(django_request, user=token.user)
        if kind is not None:
            ip_rules.refusal_record(django_request, kind)
            raise IPRefused()
        tokens.api_token_touch(token=token, ip=client_ip(request))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
