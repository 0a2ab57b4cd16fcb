"""The OpenAPI schema of the API's base views: public actions and base-class docstrings as drf-spectacular expects."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import get_lib_doc_excludes

from apps.core.api import viewsets
from apps.core.api.permissions import Public


class AutoSchema(openapi.AutoSchema):
    """Marks actions whose rule is `Public` as callable without credentials, as DRF's AllowAny would be."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        if any(isinstance(rule, Public) for rule in self.view.get_permissions()) and {} not in auths:
            auths.append({})
        return auths


def lib_doc_excludes() -> list[type]:
    """The base views' own docstrings are not descriptions of the views that derive from them."""
    return [
        *get_lib_doc_excludes(),
        viewsets.PermittedMixin,
        viewsets.SelectorMixin,
        viewsets.BaseAPIView,
        viewsets.BaseGenericAPIView,
        viewsets.BaseGenericViewSet,
        viewsets.BaseReadOnlyViewSet,
        viewsets.BaseViewSet,
    ]
