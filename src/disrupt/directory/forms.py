"""Forms of the directory: signing in, the second factor, standings, agencies and accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q

from disrupt.access import policy
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Agency, CountryStanding, Role, User


class SignInForm(AuthenticationForm):
    """Django's sign-in form, asking for the e-mail address the account is known by."""

    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The e-mail address or the password is not right. Both are checked together.",
    }


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The code is made of digits only.")
        return token


class StandingForm(forms.ModelForm[CountryStanding]):
    class Meta:
        model = CountryStanding
        fields = ["standing", "since", "until", "note"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "until": forms.DateInput(attrs={"type": "date"}),
        }


class AgencyForm(forms.ModelForm[Agency]):
    # Government sites are served over HTTPS; an address typed without a scheme is taken as such.
    website = forms.URLField(required=False, assume_scheme="https", label="Website")

    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "country", "website", "is_active"]
        labels = {"is_active": "Active"}


class UserForm(forms.ModelForm[User]):
    """An account as a manager may shape it: only the roles and agencies the policy grants them."""

    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.none(), widget=forms.CheckboxSelectMultiple, label="Roles"
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "agency", "roles", "is_active"]
        labels = {"email": "E-mail address", "is_active": "Account active"}
        help_texts = {"is_active": "Untick to deactivate: the person can no longer sign in."}

    def __init__(self, *args: Any, manager: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manager = manager
        # An account may stay in an agency that has since been deactivated.
        agencies = Agency.objects.select_related("country").filter(
            Q(is_active=True) | Q(pk=self.instance.agency_id)
        )
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = policy.assignable_agencies(manager, agencies)
        agency_field.required = True
        agency_field.label_from_instance = _agency_label  # type: ignore[method-assign,assignment]
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.ModelMultipleChoiceField)
        roles_field.queryset = Role.objects.filter(code__in=policy.grantable_roles(manager))
        if not self.instance.pk:
            del self.fields["is_active"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another account already uses this e-mail address.")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk and self.instance.pk == self.manager.pk:
            if cleaned.get("is_active") is False:
                self.add_error("is_active", "You cannot deactivate your own account.")
            roles = cleaned.get("roles")
            if (
                roles is not None
                and self.manager.has_role(RoleCode.SECRETARIAT)
                and not any(role.code == RoleCode.SECRETARIAT for role in roles)
            ):
                self.add_error("roles", "You cannot remove your own secretariat role.")
        return cleaned


def _agency_label(agency: Agency) -> str:
    where = agency.country.name if agency.country else "International"
    return f"{agency.name} ({where})"
