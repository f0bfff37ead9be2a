"""Forms of the plan pages: nominate, edit (with the route as a formset), decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from disrupt.access.choices import HandlingCode
from disrupt.directory.models import Agency, Country
from disrupt.programme.actions import APPROVE, NOMINATION_PERIOD_STATUSES, RETURN
from disrupt.programme.choices import PeriodStatus, RouteRole
from disrupt.programme.models import CrimeType, Objective, PeriodOfAction, Plan, Sector

PLAN_CODES = [
    (code.value, code.label) for code in (HandlingCode.CLEAR, HandlingCode.GREEN, HandlingCode.AMBER)
]


class CountryMultipleField(forms.ModelMultipleChoiceField):
    """Countries by ISO code, so an unknown code reads as an error about that code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Country.objects.all(), to_field_name="code", **kwargs)
        self.error_messages["invalid_choice"] = "“%(value)s” is not an ISO 3166 country code we know."

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} ({agency.country.name if agency.country else 'international'})"


class PlanForm(forms.ModelForm[Plan]):
    """The fields a focal point fills in; the lead country is theirs and not a field."""

    partner_countries = CountryMultipleField(
        required=False,
        help_text="Any country, member of the group or not (for example Egypt). "
        "Hold Ctrl (Cmd on a Mac) to choose several.",
    )

    class Meta:
        model = Plan
        fields = [
            "title",
            "summary",
            "handling_code",
            "partner_countries",
            "crime_types",
            "sectors",
            "objectives",
            "by_air",
            "by_sea",
            "by_land",
            "online",
            "agencies",
        ]
        labels = {
            "by_air": "By air",
            "by_sea": "By sea",
            "by_land": "By land",
            "online": "Online",
            "agencies": "Agencies working on it",
        }
        widgets = {
            "crime_types": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "objectives": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, lead_country: Country, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lead_country = lead_country
        self.instance.lead_country = lead_country
        self.fields["handling_code"] = forms.ChoiceField(
            choices=PLAN_CODES,
            initial=HandlingCode.GREEN,
            label="Handling code",
            help_text="GREEN: every user of the platform. AMBER: only the plan's countries and the "
            "co-chairs of its periods. CLEAR: publishable.",
        )
        current = self.instance.pk
        for name, model in (("crime_types", CrimeType), ("sectors", Sector), ("objectives", Objective)):
            # Inactive terms stay on the plans that already carry them.
            keep = Q(is_active=True) | (Q(plans=current) if current else Q(pk__in=[]))
            self.fields[name].queryset = model.objects.filter(keep).distinct()  # type: ignore[attr-defined]
        agencies = self.fields["agencies"]
        agencies.queryset = Agency.objects.filter(is_active=True).select_related("country")  # type: ignore[attr-defined]
        agencies.label_from_instance = _agency_label  # type: ignore[attr-defined]

    def clean_partner_countries(self) -> Any:
        partners = self.cleaned_data["partner_countries"]
        if any(country.pk == self.lead_country.pk for country in partners):
            raise forms.ValidationError(
                f"{self.lead_country.name} leads the plan; list only the other countries as partners."
            )
        return partners


class NominatePlanForm(PlanForm):
    period = forms.ModelChoiceField(
        queryset=PeriodOfAction.objects.filter(status__in=NOMINATION_PERIOD_STATUSES).order_by("number"),
        label="Joint Period of Action",
        help_text="A period being planned or under way.",
        empty_label="Choose a period",
    )

    field_order = ["title", "period"]


class EditPlanForm(PlanForm):
    periods = forms.ModelMultipleChoiceField(
        queryset=PeriodOfAction.objects.none(),
        label="Joint Periods of Action",
        help_text="An investigation can run through several periods.",
    )
    resubmit = forms.BooleanField(
        required=False,
        label="Send the plan back to the co-chairs for a decision",
    )

    field_order = ["title", "periods"]

    def __init__(self, *args: Any, can_resubmit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.periods.all() if self.instance.pk else PeriodOfAction.objects.none()
        self.fields["periods"].queryset = PeriodOfAction.objects.filter(  # type: ignore[attr-defined]
            Q(status__in=[*NOMINATION_PERIOD_STATUSES, PeriodStatus.REPORTING]) | Q(pk__in=current)
        ).order_by("number")
        self.fields["periods"].initial = list(current)
        if not can_resubmit:
            del self.fields["resubmit"]


class RouteStopForm(forms.Form):
    role = forms.ChoiceField(
        choices=[("", "—"), *RouteRole.choices], required=False, label="Role on the route"
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(), to_field_name="code", required=False, empty_label="—"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("role")) != bool(data.get("country")):
            raise forms.ValidationError("Give both the country and its role on the route, or neither.")
        return data


class BaseRouteFormSet(forms.BaseFormSet[RouteStopForm]):
    def route(self) -> list[tuple[Country, str]]:
        """The (country, role) pairs of the filled, not deleted rows, origin first."""
        order = {role: index for index, role in enumerate(RouteRole.values)}
        stops = [
            (form.cleaned_data["country"], form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("country") and not form.cleaned_data.get("DELETE")
        ]
        return sorted(stops, key=lambda stop: (order[stop[1]], stop[0].name))


RouteFormSet = cast(
    "type[BaseRouteFormSet]",
    forms.formset_factory(
        RouteStopForm, formset=BaseRouteFormSet, extra=3, can_delete=True, max_num=30, validate_max=True
    ),
)


def route_initial(plan: Plan) -> list[dict[str, Any]]:
    return [
        {"role": stop.role, "country": stop.country} for stop in plan.route_stops.select_related("country")
    ]


class DecidePlanForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve the plan"), (RETURN, "Return it to the lead country for changes")],
        widget=forms.RadioSelect,
        label="Decision",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comment",
        help_text="Required when returning: say what the lead country should change.",
    )
    confirm = forms.BooleanField(
        label="I confirm this decision on behalf of the co-chairs",
        error_messages={"required": "Tick the box to confirm the decision."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", "Returning a plan needs a comment saying what to change.")
        return data
