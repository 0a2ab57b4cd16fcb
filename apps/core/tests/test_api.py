"""API conventions: schema and docs, one error format, pagination."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework import exceptions, serializers
from rest_framework.test import APIRequestFactory

from apps.core.api.errors import exception_handler
from apps.core.api.pagination import PageNumberPagination


@pytest.mark.django_db
def test_schema_is_a_valid_openapi_3_document(client, tmp_path):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/users/me/" in document["paths"]
    assert "tokenAuth" in document["components"]["securitySchemes"]
    # drf-spectacular validates against the OpenAPI 3 JSON schema and fails on any warning.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.django_db
def test_swagger_ui_is_served_without_internet(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content


@pytest.mark.django_db
def test_unauthenticated_api_call_gets_the_error_format(api_client):
    response = api_client.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_unknown_api_path_is_404(api_client, user):
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/nothing-here/").status_code == 404


def test_validation_errors_list_each_field():
    class Form(serializers.Serializer):
        name = serializers.CharField(max_length=3)
        year = serializers.IntegerField()

    form = Form(data={"name": "toolong", "year": "nineteen"})
    assert not form.is_valid()
    response = exception_handler(exceptions.ValidationError(form.errors), {"view": None})
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["detail"] == "Invalid input."
    assert set(response.data["errors"]) == {"name", "year"}
    assert response.data["errors"]["year"] == ["A valid integer is required."]


def test_non_field_errors_and_nested_errors():
    response = exception_handler(exceptions.ValidationError(["bad pair"]), {"view": None})
    assert response.data["errors"] == {"non_field_errors": ["bad pair"]}
    nested = exception_handler(exceptions.ValidationError({"a": {"b": ["wrong"]}, "c": "flat"}), {"view": None})
    assert nested.data["errors"] == {"a": {"b": ["wrong"]}, "c": ["flat"]}


def test_unexpected_errors_answer_500_in_the_same_format():
    response = exception_handler(KeyError("boom"), {"view": None})
    assert response.status_code == 500
    assert response.data == {"detail": "Internal server error.", "code": "server_error"}


def test_throttled_and_not_found_keep_their_codes():
    assert exception_handler(exceptions.NotFound(), {"view": None}).data["code"] == "not_found"
    assert exception_handler(exceptions.Throttled(wait=3), {"view": None}).data["code"] == "throttled"


@pytest.mark.parametrize(
    ("query", "size", "has_next"),
    [
        ("", 50, True),
        ("?page_size=10", 10, True),
        ("?page_size=100000", 200, True),
        ("?page=2&page_size=200", 200, True),
    ],
)
def test_pagination_caps_the_page_size(query, size, has_next):
    from rest_framework.request import Request

    request = Request(APIRequestFactory().get("/api/v1/things/" + query))
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(list(range(1000)), request)
    body = paginator.get_paginated_response(page).data
    assert len(body["results"]) == size
    assert body["count"] == 1000
    assert (body["next"] is not None) is has_next
    assert "previous" in body


def test_pagination_rejects_a_page_past_the_end():
    from rest_framework.request import Request

    request = Request(APIRequestFactory().get("/api/v1/things/?page=99"))
    with pytest.raises(exceptions.NotFound):
        PageNumberPagination().paginate_queryset(list(range(10)), request)
