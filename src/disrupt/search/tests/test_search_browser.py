"""In the browser: searching from the top bar, the results with facets, and the notifications page
fit a desktop and a phone screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from disrupt.conftest import build_cast
from disrupt.notifications.actions import notify
from disrupt.search.tests.helpers import attach, make_enquiry

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_search_and_notifications_fit_the_screen(
    request: pytest.FixtureRequest, reference_data: Any, viewport: str
) -> None:
    session = request.getfixturevalue(viewport)
    cast = build_cast()
    enquiry = make_enquiry(
        cast.investigator_id, ["AFP"], subject="Kupang departure check", body="A boat leaving Kupang"
    )
    attach(enquiry, "kupang-crew-list.pdf")
    notify(
        [cast.analyst_au],
        verb="sent you an enquiry",
        record=enquiry,
        url=reverse("search:search") + "?q=kupang",  # the enquiry pages belong to the exchange app
        handling_code=enquiry.handling_code,
    )
    session.sign_in(cast.analyst_au)
    page = session.page
    if viewport == "phone":
        assert page.get_by_role("searchbox", name="Search").is_visible()
    page.get_by_role("searchbox", name="Search").first.fill("kupang")
    page.get_by_role("searchbox", name="Search").first.press("Enter")
    page.wait_for_load_state()
    assert "/search/" in page.url
    assert page.get_by_text("Kupang departure check").count() >= 1
    assert page.get_by_text("kupang-crew-list.pdf").count() == 1
    for name, path in (
        ("search-results", reverse("search:search") + "?q=kupang"),
        ("search-faceted", reverse("search:search") + "?q=kupang&kind=enquiry"),
        ("notifications", reverse("notifications:list")),
    ):
        session.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, name
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        session.screenshot(f"{name}-{viewport}")
    assert session.problems == []
