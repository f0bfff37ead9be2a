from django.db import models


class JobStatus(models.TextChoices):
    """The life of a background job (an import, an analysis)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    INVALID = "invalid", "Refused: the file has errors"
    FAILED = "failed", "Failed"


class ImportFormat(models.TextChoices):
    FTM = "ftm", "FollowTheMoney JSON lines (.ftm.jsonl, .ijson)"
    CSV = "csv", "CSV with a column mapping"
    XLSX = "xlsx", "Spreadsheet (.xlsx) with a column mapping"


class ExportFormat(models.TextChoices):
    FTM = "ftm", "FollowTheMoney JSON lines"
    GRAPHML = "graphml", "GraphML (Gephi, yEd, Cytoscape)"
    GEXF = "gexf", "GEXF (Gephi)"


class VersionCause(models.TextChoices):
    """Why an entity's earlier state was kept."""

    EDIT = "edit", "Edited"
    IMPORT = "import", "Replaced by an import"
    DELETE = "delete", "Deleted"
