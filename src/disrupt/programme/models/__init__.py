from disrupt.programme.models.group import CoChairTerm, WorkingGroup
from disrupt.programme.models.meetings import ActionItem, Meeting
from disrupt.programme.models.periods import Milestone, PeriodOfAction
from disrupt.programme.models.plans import Plan, PlanRouteStop
from disrupt.programme.models.reference import CrimeType, Objective, Sector

__all__ = [
    "ActionItem",
    "CoChairTerm",
    "CrimeType",
    "Meeting",
    "Milestone",
    "Objective",
    "PeriodOfAction",
    "Plan",
    "PlanRouteStop",
    "Sector",
    "WorkingGroup",
]
