"""Forms of the country report pages. They only collect input; reports/actions.py decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from disrupt.directory.models import Country
from disrupt.programme.models import PeriodOfAction, Plan
from disrupt.reports.actions import LINE_FIELDS, NARRATIVE_FIELDS, REPORTING_PERIOD_STATUSES, country_plans
from disrupt.reports.choices import Qualifier, ReportKind
from disrupt.reports.models import Indicator, JointFigure, ReportVersion

ACCEPT, RETURN = "accept", "return"


class StartReportForm(forms.Form):
    period = forms.ModelChoiceField(queryset=PeriodOfAction.objects.none(), label="Period of action")
    kind = forms.ChoiceField(choices=ReportKind.choices, label="Report")

    def __init__(self, *args: Any, country: Country, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = PeriodOfAction.objects.filter(  # type: ignore[attr-defined]
            participants=country, status__in=REPORTING_PERIOD_STATUSES
        ).order_by("-number")


class NarrativeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReportVersion
        fields = list(NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in NARRATIVE_FIELDS}
        help_texts = {
            "what_was_done": "Operations, investigations and activities during the cycle.",
            "intelligence": "What was learnt. Keep operational detail to the secure exchange.",
            "modus_operandi": "Routes, methods and facilitators observed.",
        }


class LineForm(forms.Form):
    """One outcome line. The plan list holds only the country's plans of the cycle."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.filter(is_active=True))
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(), required=False, empty_label="General activity (no plan)"
    )
    qualifier = forms.ChoiceField(choices=Qualifier.choices, initial=Qualifier.EXACT)
    value = forms.IntegerField(min_value=0, required=False, help_text="Empty when unquantified.")
    wording = forms.CharField(max_length=40, required=False, help_text='"over", "at least", "numerous"…')
    currency = forms.CharField(max_length=3, required=False, help_text="ISO code, for money values.")
    description = forms.CharField(max_length=250, required=False)
    joint = forms.ModelChoiceField(
        queryset=JointFigure.objects.none(),
        required=False,
        empty_label="Not joint",
        label="Joint figure",
        help_text="Counted once with the partners who report it too.",
    )

    def __init__(
        self, *args: Any, plans: QuerySet[Plan], joints: QuerySet[JointFigure], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["joint"].queryset = joints  # type: ignore[attr-defined]

    def line(self) -> dict[str, Any]:
        """The line as `do_save_draft` takes it."""
        data = self.cleaned_data
        return {name: data.get(name) for name in (*LINE_FIELDS, "joint")}


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def line_forms(self) -> list[LineForm]:
        """The forms that make lines, in order: every kept line, and the blank rows filled in."""
        kept = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            kept.append(form)
        return kept

    def lines(self) -> list[dict[str, Any]]:
        return [form.line() for form in self.line_forms()]


def line_formset(
    version: ReportVersion, data: Any = None, extra: int = 1, initial: list[dict[str, Any]] | None = None
) -> BaseLineFormSet:
    """The lines formset of a draft, its plan and joint-figure lists narrowed to the country."""
    report = version.report
    plans = country_plans(report.period, report.country_id).order_by("reference")
    joints = JointFigure.objects.filter(period=report.period_id, countries=report.country_id).select_related(
        "plan", "indicator"
    )
    if initial is None:
        initial = [
            {name: getattr(line, name) for name in (*LINE_FIELDS, "joint")}
            for line in version.lines.select_related("indicator", "plan", "joint")
        ]
    formset_class = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=extra, can_delete=True)
    return formset_class(  # type: ignore[return-value]
        data, initial=initial, prefix="lines", form_kwargs={"plans": plans, "joints": joints}
    )


class DecideReportForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept the report"), (RETURN, "Return it to the country with comments")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when returning: say what the country should change.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what the country should change.")
        return data


class ReviseForm(forms.Form):
    change_summary = forms.CharField(
        label="What changes, and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the new version and shown in the report's history.",
    )


class DeclareJointForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Achieved together with",
    )
    description = forms.CharField(
        max_length=250,
        label="What was achieved together",
        help_text="A few words, e.g. “crew of the Kupang boat”.",
    )

    def __init__(self, *args: Any, plan: Plan, own_country_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = {plan.lead_country_id, *plan.partner_countries.values_list("pk", flat=True)} - {own_country_id}
        self.fields["partners"].queryset = Country.objects.filter(pk__in=ids).order_by("name")  # type: ignore[attr-defined]
