"""The trail page in Chromium, at desktop and phone width."""

from __future__ import annotations

from typing import Any

from disrupt.conftest import build_cast


def _look(session: Any, name: str) -> None:
    cast = build_cast()
    session.sign_in(cast.secretariat)
    session.goto("/audit/?action=login")
    session.page.get_by_role("heading", name="Audit trail").wait_for()
    assert session.page.get_by_role("cell", name="sec@rso.test").count() >= 1
    session.screenshot(name)


def test_the_trail_reads_well_on_desktop(desktop: Any) -> None:
    _look(desktop, "audit-trail-desktop")


def test_the_trail_reads_well_on_a_phone(phone: Any) -> None:
    _look(phone, "audit-trail-phone")
