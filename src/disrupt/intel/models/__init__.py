"""Network intelligence: collections of FollowTheMoney entities and what is computed over them.

- `collections`: a collection (an operational record of one agency) and its entities, each a
  FtM entity with the previous states of every edit kept (`EntityVersion`).
- `jobs`: imports and analyses, run by the worker, resumable after a restart.
- `analysis`: what an analysis found about each entity (community, component, betweenness).
- `assessments`: syndicate assessments written by analysts (operational records too).
"""

from disrupt.intel.models.analysis import AnalysisNode
from disrupt.intel.models.assessments import Assessment, AssessmentMember
from disrupt.intel.models.collections import Collection, Entity, EntityVersion
from disrupt.intel.models.jobs import AnalysisRun, ImportJob, JobState

__all__ = [
    "AnalysisNode",
    "AnalysisRun",
    "Assessment",
    "AssessmentMember",
    "Collection",
    "Entity",
    "EntityVersion",
    "ImportJob",
    "JobState",
]
