"""What an analysis found about each entity, for the pages that draw the network.

`AnalysisRun.result` holds the bounded summary (top communities, brokers, targets, flows);
`AnalysisNode` holds one row per visible entity of the run: its community, its component and
its betweenness, so that a page can select "community 12" or "the 3,000 strongest brokers"
with an index instead of loading the whole result. Rows are only ever read through their run,
which is read through the access policy (`analysis_runs_visible_to`: the requester only), and
each entity is re-read through the policy when shown (intel/views_data.py). The policy has no
rule of its own for this model, so `visible_to` on it fails closed (LookupError).
"""

from __future__ import annotations

from django.db import models

from disrupt.intel.models.collections import MAX_ENTITY_ID


class AnalysisNode(models.Model):
    run = models.ForeignKey("intel.AnalysisRun", on_delete=models.CASCADE, related_name="nodes")
    ftm_id = models.CharField("FtM id", max_length=MAX_ENTITY_ID)
    community = models.IntegerField(help_text="Leiden community number (0 is the largest).")
    component = models.IntegerField(help_text="Connected component number (0 is the largest).")
    betweenness = models.FloatField(default=0.0, help_text="Estimated when the run says so.")

    class Meta:
        ordering = ["run", "-betweenness", "ftm_id"]
        constraints = [models.UniqueConstraint(fields=["run", "ftm_id"], name="analysis_node_once_per_run")]
        indexes = [
            models.Index(fields=["run", "community", "-betweenness"]),
            models.Index(fields=["run", "-betweenness"]),
        ]

    def __str__(self) -> str:
        return f"{self.ftm_id} in analysis {self.run_id}"
