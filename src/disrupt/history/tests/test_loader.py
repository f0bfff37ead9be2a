from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from disrupt.history.loader import PUBLIC_RECORD_FILE, HistoryError, Loader, load_history
from disrupt.history.models import Citation, Source
from disrupt.programme.models import PeriodOfAction

MODELS = [
    "history.Source", "history.Citation", "programme.WorkingGroup", "programme.CoChairTerm",
    "directory.CountryStanding", "programme.PeriodOfAction", "programme.Milestone", "programme.Meeting",
    "programme.ActionItem", "programme.Plan", "programme.PlanRouteStop", "reports.PublishedFigure",
]  # fmt: skip


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in MODELS}


def test_loading_twice_changes_nothing(public_record: Loader) -> None:
    first = counts()
    citation_ids = set(Citation.objects.values_list("pk", flat=True))
    second = load_history()
    assert counts() == first
    assert sum(second.created.values()) == 0
    assert set(Citation.objects.values_list("pk", flat=True)) == citation_ids
    assert first["programme.PeriodOfAction"] == 6
    assert first["programme.Plan"] == 9
    assert first["history.Source"] == 5


def test_the_command_prints_a_summary(db: None) -> None:
    out = StringIO()
    call_command("loadhistory", stdout=out)
    assert "5 sources (5 new)" in out.getvalue()
    assert "9 plans (9 new)" in out.getvalue()


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = PUBLIC_RECORD_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "public_record.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('starts_on: "2017-03"', 'starts_on: "2017-13"', "periods[2].starts_on: '2017-13' is not a date"),
        (
            "partner_countries: [EG]",
            "partner_countries: [XX]",
            "plans[7].partner_countries[0]: unknown country code 'XX'",
        ),
        (
            "indicator: convictions",
            "indicator: happiness",
            "figures[10].indicator: unknown indicator 'happiness'",
        ),
        (
            "cite: [seeds/003 Meetings]\n\n  - kind: debrief",
            "cite: [seeds/999 Meetings]\n\n  - kind: debrief",
            "meetings[2].cite[0]: unknown source 'seeds/999'",
        ),
        (
            "  - number: 4\n    status: closed\n    cite: [seeds/004 title]",
            "  - number: 4\n    status: closed",
            "periods[3].cite: every record needs at least one source",
        ),
    ],
)
def test_a_broken_file_changes_nothing_and_names_the_entry(
    public_record: Loader, tmp_path: Path, old: str, new: str, message: str
) -> None:
    PeriodOfAction.objects.filter(number=2).update(summary="edited")
    before = counts()
    path = broken_copy(tmp_path, old, new)
    with pytest.raises(HistoryError) as error:
        load_history(path)
    assert message in str(error.value)
    assert counts() == before
    assert PeriodOfAction.objects.get(number=2).summary == "edited"


def test_a_broken_file_on_an_empty_database_loads_nothing(db: None, tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "indicator: convictions", "indicator: happiness")
    with pytest.raises(CommandError, match=r"figures\[10\]\.indicator"):
        call_command("loadhistory", "--file", str(path), stdout=StringIO())
    assert not Source.objects.exists()
    assert not PeriodOfAction.objects.exists()
