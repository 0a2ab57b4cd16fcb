"""The console's sign-in form: a member with the right password is told this console is not theirs."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

NOT_OPERATOR = (
    "This is the operator console, for the people who run this server; your account is a viewer's. "
    "Sign in to the viewers' web app instead, at this server's address (/)."
)


class ConsoleLoginForm(AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, "not_operator": NOT_OPERATOR}

    def confirm_login_allowed(self, user) -> None:
        if user.is_active and not user.is_staff:
            # The password was right (the API would sign them in): say plainly why not here, and where instead.
            raise forms.ValidationError(self.error_messages["not_operator"], code="not_operator")
        super().confirm_login_allowed(user)
