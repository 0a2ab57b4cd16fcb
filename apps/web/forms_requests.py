"""Forms of the requests pages: they check the shape of the input the way the API's serializers do."""

from __future__ import annotations

from django import forms

from apps.requests.models import MediaRequest

MAX_ID = 2**31 - 1
KINDS = [(MediaRequest.Kind.MOVIE, "Movies"), (MediaRequest.Kind.SHOW, "Shows")]


class TitleSearchForm(forms.Form):
    """The API's search query: a kind and 1 to 200 characters (a title, or tmdb:ID / tvdb:ID)."""

    kind = forms.ChoiceField(choices=KINDS, initial=MediaRequest.Kind.MOVIE, widget=forms.RadioSelect)
    q = forms.CharField(
        label="Title",
        max_length=200,
        min_length=1,
        strip=True,
        error_messages={"required": "Type a title to look for."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": "A title, or tmdb:ID"}),
    )

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        if any(ord(c) < 32 or c == "\x7f" for c in q):
            raise forms.ValidationError("The title has characters that cannot be searched for.")
        return q


class RequestForm(forms.Form):
    """A request as the API takes it: a movie by tmdb id, a show by tvdb id with seasons (none: all)."""

    kind = forms.ChoiceField(choices=KINDS)
    external_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    seasons = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=[(n, n) for n in range(0, 1001)], label="Seasons"
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == MediaRequest.Kind.MOVIE and data.get("seasons"):
            self.add_error("seasons", "Only shows have seasons.")
        if len(data.get("seasons") or []) > 100:
            self.add_error("seasons", "At most 100 seasons at a time.")
        return data
