"""The sign-in form, with GOV.UK wording for its errors."""

from django.contrib.auth.forms import AuthenticationForm

from .govuk import GovUKBoundField


class SignInForm(AuthenticationForm):
    bound_field_class = GovUKBoundField
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated. Ask your administrator to restore it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
