"""In the real browser: the API documentation page works at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from disrupt.conftest import BrowserSession, build_cast

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_docs_page_lists_the_routes(
    screen: str, request: pytest.FixtureRequest, reference_data: Any
) -> None:
    session: BrowserSession = request.getfixturevalue(screen)
    cast = build_cast()
    session.sign_in(cast.secretariat)
    session.goto("/api/v1/docs/")
    page = session.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disrupt API")
    expect(page.get_by_role("heading", name="/api/v1/plans/{reference}/decide/")).to_be_visible()
    page.get_by_role("link", name="/api/v1/plans/{reference}/decide/").click()
    # The page must not be wider than the screen: long paths wrap, tables scroll in their own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
    session.screenshot(f"api-docs-{screen}")
    response = page.request.get(session.base_url + "/api/v1/openapi.json")
    assert response.status == 200
    assert response.json()["info"]["title"] == "Disrupt API"
