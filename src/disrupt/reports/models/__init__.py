from disrupt.reports.models.indicators import Indicator, PublishedFigure, Qualifier
from disrupt.reports.models.reports import JointFigure, OutcomeLine, Report, ReportVersion

__all__ = [
    "Indicator",
    "JointFigure",
    "OutcomeLine",
    "PublishedFigure",
    "Qualifier",
    "Report",
    "ReportVersion",
]
