from rest_framework import serializers

from apps.media.search import KINDS


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, trim_whitespace=True, help_text="What to look for; typos are forgiven.")
    kind = serializers.MultipleChoiceField(choices=KINDS, required=False, help_text="Repeat to search several kinds.")
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="The title, or a person's or set's name.")
    year = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(help_text="Likeness to the query, 0 to 1.")
    image = serializers.DictField(allow_null=True, help_text="The poster (or profile picture) when there is one.")


class SearchResultsSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
