"""POST /api/v1/webhooks/radarr/ and /sonarr/: authenticated by the server's webhook secret, bodies checked."""

from __future__ import annotations

import base64
import binascii
import json
import logging

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import ActionPermissions, Public
from apps.core.api.viewsets import BaseAPIView
from apps.requests import webhooks
from apps.requests.models import ArrServer

logger = logging.getLogger(__name__)


def token_of(request: Request) -> str:
    """The password of Basic auth (Radarr's Username/Password fields), `Authorization: Bearer …`, `X-Revenge-Token`,
    or, last and discouraged (it lands in access logs, where it is redacted), `?token=`."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip()
    if header.startswith("Basic "):
        try:
            return base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return ""
    return request.headers.get("X-Revenge-Token") or request.query_params.get("token", "")


class _ArrWebhook(BaseAPIView):
    kind: str
    authentication_classes: list = []  # the server's secret is the only credential here
    action_permissions = ActionPermissions(
        {
            "post": Public("Radarr/Sonarr send no user: the view checks the server's webhook secret"),
            "options": Public("describes the webhook"),
        }
    )

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "token",
                str,
                description="Discouraged: send the server's webhook secret as the Basic auth password "
                "(Radarr/Sonarr's Username/Password fields) or in an X-Revenge-Token header instead.",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        server = webhooks.arr_server_for_token(kind=self.kind, token=token_of(request))
        if server is None:
            return Response({"detail": "Unknown or missing webhook token.", "code": "not_authenticated"}, status=401)
        try:
            body = json.loads(request.body or b"null")
            event = webhooks.webhook_parse(kind=self.kind, body=body)
        except (ValueError, UnicodeDecodeError) as exc:  # WebhookInvalid and JSONDecodeError are ValueErrors
            reason = str(exc) if isinstance(exc, webhooks.WebhookInvalid) else f"the body is not JSON ({exc})"
            logger.warning("refused a webhook from %s: %s", server, reason)
            return Response({"detail": f"Invalid webhook body: {reason}", "code": "invalid"}, status=400)
        return Response({"ok": True, **webhooks.webhook_handle(server=server, event=event)})


class RadarrWebhook(_ArrWebhook):
    """Radarr → Settings → Connect → Webhook: URL …/api/v1/webhooks/radarr/, Password: the server's webhook secret."""

    kind = ArrServer.Kind.RADARR


class SonarrWebhook(_ArrWebhook):
    """Sonarr → Settings → Connect → Webhook: URL …/api/v1/webhooks/sonarr/, Password: the server's webhook secret."""

    kind = ArrServer.Kind.SONARR
