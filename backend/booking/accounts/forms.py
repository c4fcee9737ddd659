from __future__ import annotations

from django import forms
from django.http import HttpRequest

from booking.accounts.models import User


class SignupForm(forms.Form):
    """What allauth's signup asks beyond e-mail and password: the names the profile needs."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)

    def signup(self, request: HttpRequest, user: User) -> None:
        user.first_name = self.cleaned_data.get("first_name", "")
        user.last_name = self.cleaned_data.get("last_name", "")
        user.save(update_fields=["first_name", "last_name"])
