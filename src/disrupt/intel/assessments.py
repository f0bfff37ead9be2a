"""Syndicate assessments as documents: the DOCX an analyst hands on, and the draft a community
of an analysis gives the form to start from.

The DOCX carries the assessment's TLP marking at the top of every page and on its first line
(lib/documents.py), so a printed or forwarded copy says how it may be handled.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import Country
from disrupt.intel.models import AnalysisRun, Assessment
from disrupt.lib.dates import format_day
from disrupt.lib.documents import docx_bytes
from disrupt.lib.text import Block, parse_body

SECTIONS = [
    ("summary", "Summary"),
    ("modus_operandi", "Modus operandi"),
    ("financial_network", "Financial network"),
    ("routes", "Routes"),
]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def marking(assessment: Assessment) -> str:
    return str(assessment.get_handling_code_display())


def member_line(member: Any) -> str:
    role = f" — {member.role}" if member.role else ""
    country = f" ({member.country.upper()})" if member.country else ""
    return f"{member.caption}{country}, {member.schema}{role}"


def blocks(assessment: Assessment) -> list[Block]:
    """The body: the written sections, the countries, the members with their roles, the plans."""
    body: list[Block] = []
    for field, heading in SECTIONS:
        text = getattr(assessment, field)
        if text:
            body.append(Block("heading", heading))
            body.extend(parse_body(text))
    countries = [country.name for country in assessment.countries.all()]
    if countries:
        body.append(Block("heading", "Countries"))
        body.append(Block("paragraph", ", ".join(countries) + "."))
    members = list(assessment.members.all())
    body.append(Block("heading", f"Members ({len(members)})"))
    roles = Counter(member.role or "role not assessed" for member in members)
    if members:
        body.append(
            Block("paragraph", "; ".join(f"{role}: {count}" for role, count in sorted(roles.items())) + ".")
        )
    body.extend(Block("bullet", member_line(member)) for member in members)
    plans = [f"{plan.reference} {plan.title}" for plan in assessment.plans.all()]
    if plans:
        body.append(Block("heading", "Joint investigation plans"))
        body.extend(Block("bullet", plan) for plan in plans)
    return body


def assessment_docx(assessment: Assessment) -> bytes:
    source = ""
    if assessment.analysis_id:
        source = f"From analysis {assessment.analysis_id}" + (
            f", community {assessment.community}" if assessment.community is not None else ""
        )
    subtitle = [f"Syndicate assessment by {assessment.owner_agency}"] + ([source] if source else [])
    return docx_bytes(
        title=assessment.title,
        blocks=blocks(assessment),
        marking=marking(assessment),
        dated=f"Version {assessment.version}, {format_day(timezone.localdate(assessment.updated_at))}",
        subtitle=subtitle,
        footer=f"{marking(assessment)} · {assessment.owner_agency} · assessment {assessment.pk}, "
        f"version {assessment.version}",
    )


def docx_download(assessment: Assessment, request: HttpRequest) -> HttpResponse:
    """The DOCX as a download, recorded in the audit trail as an export (page and API alike)."""
    data = assessment_docx(assessment)
    record(
        AuditAction.EXPORT,
        target=assessment,
        request=request,
        detail={
            "of": "assessment",
            "assessment": assessment.pk,
            "version": assessment.version,
            "format": "docx",
        },
    )
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{docx_filename(assessment)}"'
    return response


def docx_filename(assessment: Assessment) -> str:
    slug = slugify(assessment.title)[:60] or "assessment"
    return f"assessment-{assessment.pk}-v{assessment.version}-{slug}.docx"


def draft_from_community(run: AnalysisRun, user: Any, number: int) -> dict[str, Any]:
    """The form's starting point for community `number` of `run`: its members (what `user` may
    still read, through intel.views_data), their roles, countries and money, in words the
    analyst then corrects. Raises Http404 when the run has no such community."""
    from disrupt.intel.views_data import community_summary

    summary = community_summary(run, user, number)
    members = [
        {
            "ftm_id": member["id"],
            "caption": member.get("caption") or member["id"],
            "schema": member.get("schema", ""),
            "country": member.get("country", ""),
            "role": member.get("role", ""),
        }
        for member in summary.get("members", [])
    ]
    codes = sorted({str(code).upper() for code in summary.get("countries", []) if code})
    countries = list(Country.objects.filter(code__in=codes))
    roles = summary.get("roles", {})
    role_text = "; ".join(f"{role}: {count}" for role, count in roles.items())
    opening = (
        f"A candidate syndicate of {summary.get('size', len(members))} members found by analysis "
        f"{run.pk} (community {number}), in {', '.join(c.name for c in countries) or 'no recorded country'}."
    )
    return {
        "title": f"Syndicate of community {number}, analysis {run.pk}",
        "summary": opening + (f" Roles recorded: {role_text}." if role_text else ""),
        "countries": countries,
        "financial_network": money_text(summary.get("money", {})),
        "members": members,
    }


MONEY_WORDS = {
    "in": "Paid in from outside the group",
    "out": "Paid out of the group",
    "within": "Paid between members",
}


def money_text(money: dict[str, dict[str, dict[str, float]]]) -> str:
    """The money of a community in sentences, one per direction and currency (views_data's
    `community_summary`: {"in"|"out"|"within": {currency: {total, count}}})."""
    lines = []
    for kind, words in MONEY_WORDS.items():
        for currency, entry in sorted(money.get(kind, {}).items()):
            count = int(entry.get("count", 0))
            total = entry.get("total", 0.0)
            lines.append(
                f"- {words}: {total:,.2f} {currency.upper() or '(no currency)'} in {count} "
                f"payment{'s' if count != 1 else ''}."
            )
    return "\n".join(lines)
