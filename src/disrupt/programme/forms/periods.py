"""Forms for Joint Periods of Action and their milestones. The rules live in the models' clean()."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, Max, OuterRef, QuerySet

from disrupt.directory.models import Agency, Country, CountryStanding
from disrupt.programme.models import Milestone, PeriodOfAction


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


SELECT_SEVERAL = "Hold Ctrl (or ⌘ on a Mac) to choose several."


def countries_group_first() -> QuerySet[Country]:
    """Every ISO country (a period may work with outsiders), those with a standing in the group first."""
    in_group = Exists(CountryStanding.objects.filter(country=OuterRef("pk")))
    return Country.objects.annotate(in_group=in_group).order_by("-in_group", "name")


class PeriodForm(forms.ModelForm[PeriodOfAction]):
    class Meta:
        model = PeriodOfAction
        fields = [
            "number",
            "starts_on",
            "starts_precision",
            "ends_on",
            "ends_precision",
            "status",
            "summary",
            "co_chairs",
            "participants",
            "observer_countries",
            "observer_organisations",
            "supporting_organisations",
        ]
        labels = {
            "starts_on": "Starts on",
            "starts_precision": "Start known to the",
            "ends_on": "Ends on",
            "ends_precision": "End known to the",
            "co_chairs": "Co-chairing countries",
            "participants": "Participating countries",
            "observer_countries": "Observer countries",
            "observer_organisations": "Observer organisations",
            "supporting_organisations": "Supporting organisations",
        }
        help_texts = {
            "number": "The 1st, 2nd… Joint Period of Action.",
            "ends_on": "A period runs one month to twelve.",
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("co_chairs", "participants", "observer_countries"):
            field = self.fields[name]
            field.queryset = countries_group_first()  # type: ignore[attr-defined]
            field.help_text = SELECT_SEVERAL + " The group's countries come first."
        for name in ("observer_organisations", "supporting_organisations"):
            field = self.fields[name]
            field.queryset = Agency.objects.international().order_by("name")  # type: ignore[attr-defined]
            field.help_text = SELECT_SEVERAL
        if self.instance.pk is None and not self.is_bound:
            highest = PeriodOfAction.objects.aggregate(highest=Max("number"))["highest"] or 0
            self.initial.setdefault("number", highest + 1)
        # A new period is planned to the day; the milestones are computed from its window.
        self.fields["starts_on"].required = self.instance.pk is None
        self.fields["ends_on"].required = self.instance.pk is None


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "responsible", "due_on", "due_precision", "done_on"]
        labels = {"due_on": "Due on", "due_precision": "Due date known to the", "done_on": "Done on"}
        help_texts = {"done_on": "Leave empty until it is done."}
        widgets = {"due_on": DateInput(), "done_on": DateInput()}
