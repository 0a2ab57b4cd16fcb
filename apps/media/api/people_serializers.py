"""People in payloads: the cast and crew of a title, and a person with the titles they are credited on."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.media.api.image_serializers import IdsSerializer, ImagesField
from apps.media.models import Credit, Person


class CreditedPersonSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    images = ImagesField(source="person.artwork")


class CastSerializer(CreditedPersonSerializer):
    character = serializers.CharField()
    order = serializers.IntegerField()


class CrewSerializer(CreditedPersonSerializer):
    job = serializers.CharField()
    department = serializers.CharField()


def _crew_rank(credit: Credit) -> tuple[int, int, int]:
    # Who made the film is what a viewer looks for first: directors, then writers, then the rest in billing order.
    first = 0 if credit.job == "Director" else 1 if credit.department == "Writing" else 2
    return first, credit.order, credit.pk


def cast_and_crew(credits) -> tuple[list[Credit], list[Credit]]:
    """The (prefetched) credits of a title split into cast by billing order and crew with its makers first."""
    credits = list(credits)
    cast = sorted((c for c in credits if c.kind == Credit.Kind.CAST), key=lambda c: (c.order, c.pk))
    crew = sorted((c for c in credits if c.kind == Credit.Kind.CREW), key=_crew_rank)
    return cast, crew


class PersonSerializer(serializers.ModelSerializer):
    images = ImagesField()

    class Meta:
        model = Person
        fields = ["id", "name", "images"]


class CreditedTitleSerializer(serializers.Serializer):
    """One credit of a person: the part, and the movie or show it is in."""

    kind = serializers.CharField()
    character = serializers.CharField()
    job = serializers.CharField()
    department = serializers.CharField()
    title_type = serializers.SerializerMethodField()
    title_id = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    year = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()

    def _title(self, credit: Credit):
        return credit.movie if credit.movie_id else credit.show

    def get_title_type(self, credit: Credit) -> str:
        return "movie" if credit.movie_id else "show"

    def get_title_id(self, credit: Credit) -> int:
        return credit.movie_id or credit.show_id

    def get_title(self, credit: Credit) -> str:
        return self._title(credit).title

    def get_year(self, credit: Credit) -> int | None:
        return self._title(credit).year

    def get_images(self, credit: Credit) -> dict[str, dict]:
        return ImagesField().to_representation(self._title(credit).artwork)


class PersonIdsSerializer(IdsSerializer):
    tvdb = None


class PersonDetailSerializer(PersonSerializer):
    ids = PersonIdsSerializer(source="*", read_only=True)
    credits = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "biography", "birthday", "place_of_birth", "ids", "credits"]

    @extend_schema_field(CreditedTitleSerializer(many=True))
    def get_credits(self, person: Person) -> list[dict]:
        # The view prefetches only credits on titles the requester sees, newest title first.
        return CreditedTitleSerializer(person.visible_credits, many=True).data
