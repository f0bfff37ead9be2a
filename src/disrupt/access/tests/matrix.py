"""The permission table: for each kind of record and action, exactly who in the cast may act.

One table, read by the policy tests and the page tests (and by the API tests), so that a new
path or a new record kind cannot be left out. The cast is in src/disrupt/conftest.py; the
scenario (which record of each kind) is built in `scenario.py`. docs/access-policy.md says the
same in prose.
"""

from __future__ import annotations

EVERYONE = frozenset(
    {
        "secretariat",
        "co_chair",
        "co_chair_other",
        "focal_id",
        "investigator_id",
        "focal_au",
        "analyst_au",
        "investigator_au_abf",
        "investigator_th",
        "observer",
    }
)
NOBODY: frozenset[str] = frozenset()

# (kind, action) -> the cast members allowed. Kinds name the scenario's records:
#   plan        Indonesia leads, Australia partners, GREEN, nominated, in the 7th period (co-chairs NZ, MY)
#   plan_amber  the same countries, AMBER, approved
#   user        the Indonesian investigator's account
#   meeting     a workshop of the 7th period co-chaired by New Zealand
#   action_item an action of that meeting owned by Indonesia
#   report      Indonesia's mid-term report of the 7th period, version 1 submitted
#   report_draft Indonesia's final report of the 7th period, version 1 still a draft
#   line        a line of `report` about `plan` (Indonesia leads, Australia partners)
#   line_general a line of `report` about general activity (no plan)
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("country", "view"): EVERYONE,
    ("country", "edit"): frozenset({"secretariat"}),
    ("agency", "view"): EVERYONE,
    ("agency", "create"): frozenset({"secretariat"}),
    ("agency", "edit"): frozenset({"secretariat"}),
    ("user", "view"): frozenset({"secretariat", "focal_id", "investigator_id"}),
    ("user", "create"): frozenset({"secretariat", "focal_id", "focal_au"}),
    ("user", "edit"): frozenset({"secretariat", "focal_id"}),
    ("period", "view"): EVERYONE,
    ("period", "create"): frozenset({"secretariat"}),
    ("period", "edit"): frozenset({"secretariat", "co_chair"}),
    ("milestone", "create"): frozenset({"secretariat", "co_chair"}),
    ("milestone", "edit"): frozenset({"secretariat", "co_chair"}),
    ("plan", "view"): EVERYONE,
    ("plan", "create"): frozenset({"focal_id", "focal_au"}),
    ("plan", "edit"): frozenset({"focal_id", "co_chair"}),
    ("plan", "decide"): frozenset({"co_chair"}),
    ("plan_amber", "view"): frozenset(
        {"focal_id", "investigator_id", "focal_au", "analyst_au", "investigator_au_abf", "co_chair"}
    ),
    ("plan_amber", "edit"): frozenset({"co_chair"}),
    ("plan_amber", "decide"): NOBODY,
    ("meeting", "view"): EVERYONE,
    ("meeting", "create"): frozenset({"secretariat", "co_chair", "co_chair_other"}),
    ("meeting", "edit"): frozenset({"secretariat", "co_chair"}),
    ("action_item", "create"): frozenset({"secretariat", "co_chair"}),
    ("action_item", "edit"): frozenset({"secretariat", "co_chair", "focal_id"}),
    # Country reports: the reporting country, the secretariat and the cycle's co-chairs (NZ) see
    # a report; a draft's content only its country and the secretariat. A plan's partners see the
    # submitted lines about that plan, never the rest of the report; Thailand sees none of it.
    ("report", "view"): frozenset({"secretariat", "co_chair", "focal_id", "investigator_id"}),
    ("report", "decide"): frozenset({"secretariat", "co_chair"}),
    ("report_draft", "view"): frozenset({"secretariat", "co_chair", "focal_id", "investigator_id"}),
    ("report_draft", "edit"): frozenset({"focal_id"}),
    ("line", "view"): frozenset(
        {
            "secretariat",
            "co_chair",
            "focal_id",
            "investigator_id",
            "focal_au",
            "analyst_au",
            "investigator_au_abf",
        }
    ),
    ("line_general", "view"): frozenset({"secretariat", "co_chair", "focal_id", "investigator_id"}),
    ("crime_type", "view"): EVERYONE,
    ("crime_type", "create"): frozenset({"secretariat"}),
    ("crime_type", "edit"): frozenset({"secretariat"}),
}


def rows() -> list[tuple[str, str, str, bool]]:
    """Every (kind, action, cast member, allowed) combination of the table."""
    return [
        (kind, action, member, member in allowed)
        for (kind, action), allowed in sorted(MATRIX.items())
        for member in sorted(EVERYONE)
    ]
