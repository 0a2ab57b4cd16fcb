"""People over HTTP: those credited on titles you see, each with their credits on those titles only."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseReadOnlyViewSet
from apps.media import selectors
from apps.media.api.people_filters import PersonFilter
from apps.media.api.people_serializers import PersonDetailSerializer, PersonSerializer
from apps.media.models import Artwork


class PersonViewSet(BaseReadOnlyViewSet):
    """Actors and crew; search with `?q=`. A person credited on nothing you see does not exist for you (404)."""

    selector = selectors.people_visible_to
    action_permissions = ActionPermissions({"list": SIGNED_IN, "retrieve": SIGNED_IN, "metadata": SIGNED_IN})
    filterset_class = PersonFilter
    ordering_fields = ["name"]
    ordering = ["name", "id"]

    def get_queryset(self):
        profiles = Prefetch("artwork", queryset=Artwork.objects.filter(kind=Artwork.Kind.PROFILE))
        people = super().get_queryset().prefetch_related(profiles)
        if self.action == "retrieve":
            credits = selectors.person_credits_of(credits=selectors.credits_visible_to(user=self.request.user))
            year = Coalesce(F("movie__year"), F("show__year"))
            newest_first = credits.order_by(year.desc(nulls_last=True), "kind", "order", "id")
            people = people.prefetch_related(Prefetch("credits", queryset=newest_first, to_attr="visible_credits"))
        return people

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer
