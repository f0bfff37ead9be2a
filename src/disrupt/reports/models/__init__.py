from disrupt.reports.models.indicators import Indicator, PublishedFigure, Qualifier
from disrupt.reports.models.publications import Publication, PublicationVersion
from disrupt.reports.models.reminders import Reminder
from disrupt.reports.models.reports import JointFigure, OutcomeLine, Report, ReportVersion

__all__ = [
    "Indicator",
    "JointFigure",
    "OutcomeLine",
    "Publication",
    "PublicationVersion",
    "PublishedFigure",
    "Qualifier",
    "Reminder",
    "Report",
    "ReportVersion",
]
