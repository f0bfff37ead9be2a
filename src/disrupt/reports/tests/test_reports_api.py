"""The reports API: reports, versions with lines, lines, joint figures; submit, accept, return."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from disrupt.access.tests.matrix import EVERYONE, MATRIX
from disrupt.access.tests.scenario import Scenario, build_scenario
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.reports import actions
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Indicator, ReportVersion
from disrupt.reports.totals import counted_lines

API = "/api/v1"
pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return build_scenario(cast)


def ids(client: Client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_line_lists_and_totals_show_only_what_the_table_allows(
    scenario: Scenario, client: Client, member: str
) -> None:
    client.force_login(scenario.user(member))
    listed = ids(client, f"{API}/outcome-lines/?period=7")
    plan_lines = ids(client, f"{API}/outcome-lines/?plan=JPA7-01")
    totals = set(
        counted_lines(scenario.user(member), period=scenario.cast.period).values_list("pk", flat=True)
    )
    for kind in ("line", "line_general"):
        line = scenario.records[kind]
        allowed = member in MATRIX[kind, "view"]
        assert (line.pk in listed) is allowed, f"{member} list, {kind}"
        assert (line.pk in totals) is allowed, f"{member} totals, {kind}"
    assert (scenario.records["line"].pk in plan_lines) is (member in MATRIX["line", "view"])
    reports = ids(client, f"{API}/reports/")
    assert (scenario.records["report"].pk in reports) is (member in MATRIX["report", "view"])


def test_a_partner_reads_the_plan_line_but_not_the_report(scenario: Scenario, client: Client) -> None:
    client.force_login(scenario.cast.analyst_au)
    line = client.get(f"{API}/outcome-lines/{scenario.records['line'].pk}/").json()
    assert line["plan"] == "JPA7-01" and line["display"] == "7" and line["country"] == "ID"
    assert client.get(f"{API}/reports/{scenario.records['report'].pk}/").status_code == 404
    version = scenario.records["report"].versions.get()  # type: ignore[attr-defined]
    assert client.get(f"{API}/report-versions/{version.pk}/").status_code == 404


def test_a_report_lists_its_readable_versions(scenario: Scenario, client: Client) -> None:
    draft = scenario.records["report_draft"]
    client.force_login(scenario.cast.co_chair)
    body = client.get(f"{API}/reports/{draft.pk}/").json()
    assert body["current_status"] == "draft" and body["versions"] == []  # a draft's content is the country's
    client.force_login(scenario.cast.focal_id)
    body = client.get(f"{API}/reports/{draft.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [1]


def test_submit_return_accept_through_the_api(cast: Cast, client: Client) -> None:
    report = actions.do_start_report(
        cast.focal_id, cast.period, Country.objects.get(code="ID"), ReportKind.FINAL
    )
    version = report.versions.get()
    actions.do_save_draft(
        cast.focal_id,
        version,
        {},
        [{"indicator": Indicator.objects.get(code="arrests"), "plan": None, "value": 2}],
    )
    url = f"{API}/report-versions/{version.pk}"
    client.force_login(cast.co_chair)
    assert client.post(f"{url}/submit/").status_code == 404  # a co-chair does not read drafts
    client.force_login(cast.focal_id)
    response = client.post(f"{url}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["lines"][0]["display"] == "2"
    assert client.post(f"{url}/submit/").status_code == 400  # submitted versions never change
    assert client.post(f"{url}/accept/", {}, content_type="application/json").status_code == 403

    client.force_login(cast.co_chair)
    assert client.post(f"{url}/return/", {"comment": ""}, content_type="application/json").status_code == 400
    response = client.post(f"{url}/return/", {"comment": "Which operation?"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["decision_comment"] == "Which operation?"
    second = actions.do_revise(cast.focal_id, report, "Operation named.")
    client.force_login(cast.focal_id)
    client.post(f"{API}/report-versions/{second.pk}/submit/")
    client.force_login(cast.secretariat)
    response = client.post(f"{API}/report-versions/{second.pk}/accept/", {}, content_type="application/json")
    assert response.status_code == 200
    assert ReportVersion.objects.get(pk=second.pk).status == VersionStatus.ACCEPTED
    body = client.get(f"{API}/reports/{report.pk}/").json()
    assert [(v["number"], v["status"], v["change_summary"]) for v in body["versions"]] == [
        (1, "returned", ""),
        (2, "accepted", "Operation named."),
    ]


def test_joint_figures_in_the_api(cast: Cast, client: Client) -> None:
    arrests = Indicator.objects.get(code="arrests")
    versions: dict[str, ReportVersion] = {}
    for code, user, value in (("ID", cast.focal_id, 6), ("AU", cast.focal_au, 4)):
        report = actions.do_start_report(user, cast.period, Country.objects.get(code=code), ReportKind.FINAL)
        versions[code] = report.versions.get()
        actions.do_save_draft(
            user, versions[code], {}, [{"indicator": arrests, "plan": cast.plan, "value": value}]
        )
    joint = actions.do_declare_joint(
        cast.focal_id, versions["ID"].lines.get(), [Country.objects.get(code="AU")], "Boat crew"
    )
    actions.do_attach_joint(cast.focal_au, versions["AU"].lines.get(), joint)
    actions.do_submit(cast.focal_id, versions["ID"])
    actions.do_submit(cast.focal_au, versions["AU"])
    client.force_login(cast.co_chair)
    [row] = client.get(f"{API}/joint-figures/").json()["results"]
    assert row["state"] == "disputed" and row["counted_once"] == "6"
    assert sorted(row["countries"]) == ["AU", "ID"] and row["plan"] == "JPA7-01"
    client.force_login(cast.investigator_th)
    assert client.get(f"{API}/joint-figures/").json()["results"] == []
    assert client.get(f"{API}/joint-figures/{joint.pk}/").status_code == 404


def test_the_routes_are_in_the_openapi_document(cast: Cast, client: Client) -> None:
    client.force_login(cast.observer)
    paths: dict[str, Any] = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/report-versions/{id}/",
        "/api/v1/report-versions/{id}/submit/",
        "/api/v1/report-versions/{id}/accept/",
        "/api/v1/report-versions/{id}/return/",
        "/api/v1/outcome-lines/",
        "/api/v1/joint-figures/{id}/",
    ):
        assert path in paths, path
    assert {"period", "country", "plan", "indicator"} <= {
        p["name"] for p in paths["/api/v1/outcome-lines/"]["get"]["parameters"]
    }


def test_an_observer_of_a_partner_country_does_not_read_the_plans_lines(
    scenario: Scenario, client: Client
) -> None:
    from disrupt.conftest import make_user
    from disrupt.directory.choices import RoleCode
    from disrupt.directory.models import Agency

    observer_au = make_user(
        "obs@afp.test", "Ola Observer", Agency.objects.get(short_name="AFP"), RoleCode.OBSERVER
    )
    client.force_login(observer_au)
    assert ids(client, f"{API}/outcome-lines/") == set()
    assert client.get(f"{API}/outcome-lines/{scenario.records['line'].pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/reports/", "/report-versions/", "/outcome-lines/", "/joint-figures/"])
def test_a_list_costs_the_same_for_more_reports(cast: Cast, client: Client, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API + url).status_code == 200
        return len(captured)

    arrests = Indicator.objects.get(code="arrests")
    client.force_login(cast.secretariat)

    def report(code: str, user: Any, kind: str) -> None:
        started = actions.do_start_report(user, cast.period, Country.objects.get(code=code), kind)
        version = started.versions.get()
        actions.do_save_draft(user, version, {}, [{"indicator": arrests, "plan": cast.plan, "value": 3}])
        actions.do_declare_joint(
            user, version.lines.get(), [Country.objects.get(code="AU" if code == "ID" else "ID")], "x"
        )
        actions.do_submit(user, version)

    report("ID", cast.focal_id, ReportKind.MIDTERM)
    few = queries()
    report("AU", cast.focal_au, ReportKind.MIDTERM)
    report("ID", cast.focal_id, ReportKind.FINAL)
    assert queries() == few
