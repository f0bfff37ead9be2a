"""Loading the public record (data/public_record.yaml) into the database.

All of the file or nothing: one transaction, and the first problem stops it with a message
naming the entry and field ("periods[2].starts_on: …"). Records are matched by natural keys
(source key, period number, plan reference, meeting kind + date + title…), so loading the
same file twice changes nothing. The citations of every record loaded are replaced by the
file's: the file is the authority on where the public record comes from.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from disrupt.directory.choices import AgencyKind
from disrupt.directory.models import Agency, Country, CountryStanding
from disrupt.history.models import Citation, Source
from disrupt.lib.dates import DatePrecision
from disrupt.programme.models import (
    ActionItem,
    CoChairTerm,
    CrimeType,
    Meeting,
    Milestone,
    PeriodOfAction,
    Plan,
    PlanRouteStop,
    Sector,
    WorkingGroup,
)
from disrupt.reports.models import Indicator, PublishedFigure

PUBLIC_RECORD_FILE = Path(__file__).resolve().parent.parent / "data" / "public_record.yaml"

CITATION_KEYS = {"cite", "facts"}
MODES = {"air": "by_air", "sea": "by_sea", "land": "by_land", "online": "online"}


class HistoryError(Exception):
    """A problem in the data file, named by its place in it."""


@dataclass(frozen=True)
class Cite:
    field: str
    source: Source
    locator: str
    reading: str = ""
    adopted: bool = True


class Loader:
    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise HistoryError("the file must be a mapping of sections (sources, periods, plans…)")
        self.data = data
        self.created: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.sources: dict[str, Source] = {}
        self.periods: dict[int, PeriodOfAction] = {}

    # --- Reading values -----------------------------------------------------------------------

    def section(self, name: str) -> list[dict[str, Any]]:
        rows = self.data.get(name) or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise HistoryError(f"{name}: expected a list of entries")
        return rows

    @staticmethod
    def check_keys(path: str, entry: dict[str, Any], allowed: set[str], required: set[str]) -> None:
        for key in entry:
            if key not in allowed | CITATION_KEYS:
                raise HistoryError(f"{path}.{key}: unknown field")
        for key in sorted(required):
            if entry.get(key) in (None, "", []):
                raise HistoryError(f"{path}.{key}: required")

    @staticmethod
    def text(entry: dict[str, Any], key: str) -> str:
        value = entry.get(key)
        return "" if value is None else str(value).strip()

    @staticmethod
    def date(path: str, value: Any, end: bool = False) -> tuple[dt.date | None, str]:
        """A date and its precision: 2016-05-19 (day), "2017-03" (month), 2022 (year).

        A window's end known to the month or year is its last day.
        """
        if value is None or value == "":
            return None, DatePrecision.DAY
        if isinstance(value, dt.date):
            return value, DatePrecision.DAY
        text = str(value).strip()
        try:
            if len(text) == 4:
                year = int(text)
                return (dt.date(year, 12, 31) if end else dt.date(year, 1, 1)), DatePrecision.YEAR
            if len(text) == 7:
                year, month = int(text[:4]), int(text[5:])
                day = calendar.monthrange(year, month)[1] if end else 1
                return dt.date(year, month, day), DatePrecision.MONTH
            return dt.date.fromisoformat(text), DatePrecision.DAY
        except ValueError:
            raise HistoryError(f"{path}: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None

    def dated(
        self, path: str, entry: dict[str, Any], key: str, end: bool = False
    ) -> tuple[dt.date | None, str]:
        day, precision = self.date(f"{path}.{key}", entry.get(key), end=end)
        prefix = key.removesuffix("_on")
        explicit = entry.get(f"{prefix}_precision")
        if explicit:
            if explicit not in DatePrecision.values:
                raise HistoryError(
                    f"{path}.{prefix}_precision: {explicit!r} is not one of {DatePrecision.values}"
                )
            precision = explicit
        return day, precision

    @staticmethod
    def choice(path: str, value: Any, choices: type[models.TextChoices], default: str | None = None) -> str:
        if value in (None, "") and default is not None:
            return default
        if value not in choices.values:
            raise HistoryError(f"{path}: {value!r} is not one of {', '.join(choices.values)}")
        return str(value)

    def codes(self, path: str, values: Any) -> list[Any]:
        if values is None:
            return []
        if not isinstance(values, list):
            raise HistoryError(f"{path}: expected a list")
        return values

    def country(self, path: str, code: Any) -> Country:
        country = Country.objects.filter(code=str(code).upper()).first()
        if country is None:
            raise HistoryError(f"{path}: unknown country code {code!r} (ISO 3166-1 alpha-2)")
        return country

    def countries(self, path: str, codes: Any) -> list[Country]:
        return [self.country(f"{path}[{i}]", code) for i, code in enumerate(self.codes(path, codes))]

    def organisations(self, path: str, names: Any) -> list[Agency]:
        found = []
        for i, name in enumerate(self.codes(path, names)):
            organisation = Agency.objects.filter(kind=AgencyKind.INTERNATIONAL, short_name=name).first()
            if organisation is None:
                raise HistoryError(f"{path}[{i}]: unknown international organisation {name!r}")
            found.append(organisation)
        return found

    def terms(self, path: str, model: type[CrimeType] | type[Sector], codes: Any) -> list[Any]:
        found = []
        for i, code in enumerate(self.codes(path, codes)):
            term = model.objects.filter(code=code).first()
            if term is None:
                raise HistoryError(f"{path}[{i}]: unknown {model._meta.verbose_name} {code!r}")
            found.append(term)
        return found

    def period(self, path: str, number: Any) -> PeriodOfAction:
        if number not in self.periods:
            raise HistoryError(f"{path}: no period {number!r} in this file")
        return self.periods[number]

    # --- Citations ----------------------------------------------------------------------------

    def cite(self, path: str, item: Any, field: str) -> Cite:
        reading, adopted = "", True
        if isinstance(item, dict):
            unknown = set(item) - {"cite", "reading", "adopted"}
            if unknown:
                raise HistoryError(f"{path}.{sorted(unknown)[0]}: unknown field")
            reading, adopted = self.text(item, "reading"), bool(item.get("adopted", True))
            item = item.get("cite")
        key, _, locator = str(item or "").strip().partition(" ")
        if not key or not locator.strip():
            raise HistoryError(f"{path}: a citation is '<source key> <locator>', e.g. 'seeds/000 §6'")
        if key not in self.sources:
            raise HistoryError(f"{path}: unknown source {key!r}")
        return Cite(field, self.sources[key], locator.strip(), reading, adopted)

    def citations(self, path: str, entry: dict[str, Any]) -> list[Cite]:
        record_level = self.codes(f"{path}.cite", entry.get("cite"))
        if not record_level:
            raise HistoryError(f"{path}.cite: every record needs at least one source")
        cites = [self.cite(f"{path}.cite[{i}]", item, "") for i, item in enumerate(record_level)]
        facts = entry.get("facts") or {}
        if not isinstance(facts, dict):
            raise HistoryError(f"{path}.facts: expected a mapping of field to citations")
        for field, items in facts.items():
            fact_path = f"{path}.facts.{field}"
            field_cites = [
                self.cite(f"{fact_path}[{i}]", it, field) for i, it in enumerate(self.codes(fact_path, items))
            ]
            if not field_cites:
                raise HistoryError(f"{fact_path}: at least one source")
            if any(c.reading for c in field_cites) and not any(c.reading and c.adopted for c in field_cites):
                raise HistoryError(f"{fact_path}: one reading must be adopted")
            cites.extend(field_cites)
        seen: set[tuple[str, int, str]] = set()
        for c in cites:
            if (c.field, c.source.pk, c.locator) in seen:
                raise HistoryError(
                    f"{path}: {c.source.key} {c.locator} cited twice for {c.field or 'the record'}"
                )
            seen.add((c.field, c.source.pk, c.locator))
        return cites

    def replace_citations(self, obj: models.Model, cites: list[Cite]) -> None:
        content_type = ContentType.objects.get_for_model(obj)
        kept: list[int] = []
        for c in cites:
            citation, created = Citation.objects.update_or_create(
                content_type=content_type,
                object_id=obj.pk,
                field=c.field,
                source=c.source,
                locator=c.locator,
                defaults={"reading": c.reading, "is_adopted": c.adopted},
            )
            kept.append(citation.pk)
            self.count("citations", created)
        Citation.objects.filter(content_type=content_type, object_id=obj.pk).exclude(pk__in=kept).delete()

    # --- Writing ------------------------------------------------------------------------------

    def count(self, name: str, created: bool) -> None:
        self.total[name] += 1
        self.created[name] += int(created)

    def upsert(
        self, name: str, path: str, model: type[Any], lookup: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        created = obj is None
        if obj is None:
            obj = model(**lookup)
        for key, value in values.items():
            setattr(obj, key, value)
        try:
            obj.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            where = "" if field == "__all__" else f".{field}"
            raise HistoryError(f"{path}{where}: {' '.join(messages)}") from None
        obj.save()
        self.count(name, created)
        return obj

    def record(
        self,
        name: str,
        path: str,
        model: type[Any],
        lookup: dict[str, Any],
        values: dict[str, Any],
        entry: dict[str, Any],
    ) -> Any:
        cites = self.citations(path, entry)
        obj = self.upsert(name, path, model, lookup, values)
        self.replace_citations(obj, cites)
        return obj

    # --- Sections -----------------------------------------------------------------------------

    def load_sources(self) -> None:
        for i, entry in enumerate(self.section("sources")):
            path = f"sources[{i}]"
            self.check_keys(path, entry, {"key", "title", "issued_by", "issued_on", "kind"}, {"key", "title"})
            issued_on, _ = self.date(f"{path}.issued_on", entry.get("issued_on"))
            source = self.upsert(
                "sources",
                path,
                Source,
                {"key": self.text(entry, "key")},
                {
                    "title": self.text(entry, "title"),
                    "issued_by": self.text(entry, "issued_by"),
                    "issued_on": issued_on,
                    "kind": self.text(entry, "kind"),
                },
            )
            self.sources[source.key] = source
        if not self.sources:
            raise HistoryError("sources: the file names no source")

    def load_working_group(self) -> WorkingGroup | None:
        entry = self.data.get("working_group")
        if not entry:
            return None
        path = "working_group"
        self.check_keys(
            path,
            entry,
            {"name", "short_name", "parent_body", "established_on", "mandate"},
            {"name", "short_name"},
        )
        established_on, _ = self.date(f"{path}.established_on", entry.get("established_on"))
        values = {k: self.text(entry, k) for k in ("short_name", "parent_body", "mandate")}
        group: WorkingGroup = self.record(
            "working group",
            path,
            WorkingGroup,
            {"name": self.text(entry, "name")},
            {**values, "established_on": established_on},
            entry,
        )
        for i, term in enumerate(self.section("co_chair_terms")):
            term_path = f"co_chair_terms[{i}]"
            self.check_keys(
                term_path,
                term,
                {"country", "starts_on", "starts_precision", "ends_on", "ends_precision", "note"},
                {"country"},
            )
            starts_on, starts_precision = self.dated(term_path, term, "starts_on")
            ends_on, ends_precision = self.dated(term_path, term, "ends_on", end=True)
            self.record(
                "co-chair terms",
                term_path,
                CoChairTerm,
                {"group": group, "country": self.country(f"{term_path}.country", term.get("country"))},
                {
                    "starts_on": starts_on,
                    "starts_precision": starts_precision,
                    "ends_on": ends_on,
                    "ends_precision": ends_precision,
                    "note": self.text(term, "note"),
                },
                term,
            )
        return group

    def load_standings(self) -> None:
        from disrupt.directory.choices import Standing

        for i, entry in enumerate(self.section("country_standings")):
            path = f"country_standings[{i}]"
            self.check_keys(
                path, entry, {"country", "standing", "since", "until", "note"}, {"country", "standing"}
            )
            since, _ = self.date(f"{path}.since", entry.get("since"))
            until, _ = self.date(f"{path}.until", entry.get("until"), end=True)
            self.record(
                "country standings",
                path,
                CountryStanding,
                {
                    "country": self.country(f"{path}.country", entry.get("country")),
                    "standing": self.choice(f"{path}.standing", entry.get("standing"), Standing),
                    "since": since,
                },
                {"until": until, "note": self.text(entry, "note")},
                entry,
            )

    def load_periods(self) -> None:
        from disrupt.programme.choices import MilestoneKind, PeriodStatus, Responsible

        allowed = {
            "number", "starts_on", "starts_precision", "ends_on", "ends_precision", "status", "summary",
            "co_chairs", "participants", "observer_countries", "observer_organisations",
            "supporting_organisations", "milestones",
        }  # fmt: skip
        for i, entry in enumerate(self.section("periods")):
            path = f"periods[{i}]"
            self.check_keys(path, entry, allowed, {"number", "status"})
            number = entry["number"]
            if not isinstance(number, int) or number < 1:
                raise HistoryError(f"{path}.number: {number!r} is not a period number")
            starts_on, starts_precision = self.dated(path, entry, "starts_on")
            ends_on, ends_precision = self.dated(path, entry, "ends_on", end=True)
            relations = {
                "co_chairs": self.countries(f"{path}.co_chairs", entry.get("co_chairs")),
                "participants": self.countries(f"{path}.participants", entry.get("participants")),
                "observer_countries": self.countries(
                    f"{path}.observer_countries", entry.get("observer_countries")
                ),
                "observer_organisations": self.organisations(
                    f"{path}.observer_organisations", entry.get("observer_organisations")
                ),
                "supporting_organisations": self.organisations(
                    f"{path}.supporting_organisations", entry.get("supporting_organisations")
                ),
            }
            period: PeriodOfAction = self.record(
                "periods",
                path,
                PeriodOfAction,
                {"number": number},
                {
                    "starts_on": starts_on,
                    "starts_precision": starts_precision,
                    "ends_on": ends_on,
                    "ends_precision": ends_precision,
                    "status": self.choice(f"{path}.status", entry.get("status"), PeriodStatus),
                    "summary": self.text(entry, "summary"),
                },
                entry,
            )
            for name, related in relations.items():
                getattr(period, name).set(related)
            self.periods[number] = period
            for j, milestone in enumerate(self.codes(f"{path}.milestones", entry.get("milestones"))):
                m_path = f"{path}.milestones[{j}]"
                self.check_keys(
                    m_path,
                    milestone,
                    {"kind", "title", "responsible", "due_on", "due_precision", "done_on"},
                    {"kind", "title", "responsible"},
                )
                due_on, due_precision = self.dated(m_path, milestone, "due_on")
                done_on, _ = self.date(f"{m_path}.done_on", milestone.get("done_on"))
                self.record(
                    "milestones",
                    m_path,
                    Milestone,
                    {
                        "period": period,
                        "kind": self.choice(f"{m_path}.kind", milestone.get("kind"), MilestoneKind),
                        "title": self.text(milestone, "title"),
                    },
                    {
                        "responsible": self.choice(
                            f"{m_path}.responsible", milestone.get("responsible"), Responsible
                        ),
                        "due_on": due_on,
                        "due_precision": due_precision,
                        "done_on": done_on,
                    },
                    milestone,
                )

    def load_meetings(self) -> None:
        from disrupt.programme.choices import MeetingKind, MeetingMode

        allowed = {
            "kind", "title", "starts_on", "ends_on", "date_precision", "mode", "city", "host_country",
            "online_platform", "period", "co_chairs", "attending_countries", "attending_organisations",
            "outcome_statement", "action_items",
        }  # fmt: skip
        for i, entry in enumerate(self.section("meetings")):
            path = f"meetings[{i}]"
            self.check_keys(path, entry, allowed, {"kind", "title", "starts_on"})
            starts_on, precision = self.date(f"{path}.starts_on", entry.get("starts_on"))
            ends_on, _ = self.date(f"{path}.ends_on", entry.get("ends_on"), end=True)
            if entry.get("date_precision"):
                precision = self.choice(f"{path}.date_precision", entry["date_precision"], DatePrecision)
            host = entry.get("host_country")
            relations = {
                "co_chairs": self.countries(f"{path}.co_chairs", entry.get("co_chairs")),
                "attending_countries": self.countries(
                    f"{path}.attending_countries", entry.get("attending_countries")
                ),
                "attending_organisations": self.organisations(
                    f"{path}.attending_organisations", entry.get("attending_organisations")
                ),
            }
            meeting: Meeting = self.record(
                "meetings",
                path,
                Meeting,
                {
                    "kind": self.choice(f"{path}.kind", entry.get("kind"), MeetingKind),
                    "starts_on": starts_on,
                    "title": self.text(entry, "title"),
                },
                {
                    "ends_on": ends_on,
                    "date_precision": precision,
                    "mode": self.choice(
                        f"{path}.mode", entry.get("mode"), MeetingMode, MeetingMode.IN_PERSON
                    ),
                    "city": self.text(entry, "city"),
                    "host_country": self.country(f"{path}.host_country", host) if host else None,
                    "online_platform": self.text(entry, "online_platform"),
                    "period": self.period(f"{path}.period", entry["period"]) if entry.get("period") else None,
                    "outcome_statement": self.text(entry, "outcome_statement"),
                },
                entry,
            )
            for name, related in relations.items():
                getattr(meeting, name).set(related)
            for j, item in enumerate(self.codes(f"{path}.action_items", entry.get("action_items"))):
                a_path = f"{path}.action_items[{j}]"
                self.check_keys(a_path, item, {"text", "owner_country", "due_on"}, {"text"})
                owner = item.get("owner_country")
                due_on, _ = self.date(f"{a_path}.due_on", item.get("due_on"))
                self.record(
                    "action items",
                    a_path,
                    ActionItem,
                    {"meeting": meeting, "text": self.text(item, "text")},
                    {
                        "owner_country": self.country(f"{a_path}.owner_country", owner) if owner else None,
                        "due_on": due_on,
                    },
                    item,
                )

    def load_plans(self) -> None:
        from disrupt.access.choices import HandlingCode
        from disrupt.programme.choices import PlanStatus, RouteRole

        defaults = self.data.get("plan_defaults") or {}
        allowed = {
            "reference", "title", "summary", "lead_country", "partner_countries", "crime_types", "sectors",
            "modes", "route", "status", "handling_code", "periods",
        }  # fmt: skip
        for i, row in enumerate(self.section("plans")):
            path = f"plans[{i}]"
            self.check_keys(path, row, allowed, {"reference", "title", "lead_country"})
            entry = {**defaults, **row}
            modes = self.codes(f"{path}.modes", entry.get("modes"))
            for j, mode in enumerate(modes):
                if mode not in MODES:
                    raise HistoryError(f"{path}.modes[{j}]: {mode!r} is not one of {', '.join(MODES)}")
            route = entry.get("route") or {}
            if not isinstance(route, dict):
                raise HistoryError(f"{path}.route: expected origin/transit/destination lists")
            stops = []
            for role, codes in route.items():
                self.choice(f"{path}.route.{role}", role, RouteRole)
                stops += [(role, c) for c in self.countries(f"{path}.route.{role}", codes)]
            relations = {
                "partner_countries": self.countries(
                    f"{path}.partner_countries", entry.get("partner_countries")
                ),
                "crime_types": self.terms(f"{path}.crime_types", CrimeType, entry.get("crime_types")),
                "sectors": self.terms(f"{path}.sectors", Sector, entry.get("sectors")),
                "periods": [
                    self.period(f"{path}.periods[{j}]", n)
                    for j, n in enumerate(self.codes(f"{path}.periods", entry.get("periods")))
                ],
            }
            plan: Plan = self.record(
                "plans",
                path,
                Plan,
                {"reference": self.text(entry, "reference")},
                {
                    "title": self.text(entry, "title"),
                    "summary": self.text(entry, "summary"),
                    "lead_country": self.country(f"{path}.lead_country", entry.get("lead_country")),
                    "status": self.choice(f"{path}.status", entry.get("status"), PlanStatus),
                    "handling_code": self.choice(
                        f"{path}.handling_code", entry.get("handling_code"), HandlingCode
                    ),
                    **{field: name in modes for name, field in MODES.items()},
                },
                entry,
            )
            for name, related in relations.items():
                getattr(plan, name).set(related)
            kept = []
            for role, country in stops:
                stop, created = PlanRouteStop.objects.get_or_create(plan=plan, country=country, role=role)
                self.count("route stops", created)
                kept.append(stop.pk)
            plan.route_stops.exclude(pk__in=kept).delete()

    def load_figures(self) -> None:
        from disrupt.reports.models import Qualifier

        for i, entry in enumerate(self.section("figures")):
            path = f"figures[{i}]"
            self.check_keys(
                path,
                entry,
                {"period", "indicator", "qualifier", "value", "wording"},
                {"period", "indicator", "qualifier"},
            )
            indicator = Indicator.objects.filter(code=entry["indicator"]).first()
            if indicator is None:
                raise HistoryError(f"{path}.indicator: unknown indicator {entry['indicator']!r}")
            value = entry.get("value")
            if value is not None and (not isinstance(value, int) or value < 0):
                raise HistoryError(f"{path}.value: {value!r} is not a whole number")
            self.record(
                "published figures",
                path,
                PublishedFigure,
                {"period": self.period(f"{path}.period", entry["period"]), "indicator": indicator},
                {
                    "qualifier": self.choice(f"{path}.qualifier", entry.get("qualifier"), Qualifier),
                    "value": value,
                    "wording": self.text(entry, "wording"),
                },
                entry,
            )

    def load(self) -> None:
        known = {
            "sources", "working_group", "co_chair_terms", "country_standings", "periods", "meetings",
            "plans", "plan_defaults", "figures",
        }  # fmt: skip
        for key in self.data:
            if key not in known:
                raise HistoryError(f"{key}: unknown section")
        self.load_sources()
        self.load_working_group()
        self.load_standings()
        self.load_periods()
        self.load_meetings()
        self.load_plans()
        self.load_figures()


def load_history(path: Path = PUBLIC_RECORD_FILE) -> Loader:
    """Load the public record; raises HistoryError, changing nothing, if any of it is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise HistoryError(f"{path.name}: not valid YAML ({error})") from None
    loader = Loader(data)
    with transaction.atomic():
        loader.load()
    return loader
