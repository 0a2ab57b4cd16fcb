"""Forms of the web app: they validate input; writes go through the apps' services."""

from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, strip=True, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        max_length=4096, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    remember = forms.BooleanField(required=False, initial=True, label="Remember this device")
