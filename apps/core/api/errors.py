"""One error format for the whole API: {"detail": …, "code": …} plus field errors under "errors"."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this server accepts."
    default_code = "too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # Too many fields, a malformed multipart body…: the client's fault, said without internals.
        exc = exceptions.ParseError("The request could not be read.")
    if isinstance(exc, DjangoValidationError):
        # Services validate with Django's ValidationError; the API answers it as any invalid input.
        exc = as_drf_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled error in %s", context.get("view").__class__.__name__, exc_info=exc)
        return Response(
            {"detail": "Internal server error.", "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "code": "invalid", "errors": _field_errors(exc.detail)}
        return response
    detail = getattr(exc, "detail", None)
    if isinstance(detail, exceptions.ErrorDetail):
        response.data = {"detail": str(detail), "code": detail.code}
    elif isinstance(response.data, dict) and "detail" in response.data:
        # Django's Http404 and PermissionDenied arrive as plain DRF responses.
        code = getattr(exc, "default_code", None) or ("not_found" if response.status_code == 404 else "error")
        response.data = {"detail": str(response.data["detail"]), "code": code}
    return response


def _field_errors(detail: Any) -> Any:
    """Field errors as {field: [message, …]}; a list of errors becomes {"non_field_errors": […]}."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    return {"non_field_errors": [str(detail)]}


def _messages(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _messages(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_messages(item) if isinstance(item, (dict, list)) else str(item) for item in value]
    return [str(value)]


def as_drf_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A model or service ValidationError as the API's 400, keeping field names."""
    return exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
