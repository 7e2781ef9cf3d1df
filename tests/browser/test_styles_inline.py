"""A guide is styled from its first response, and the browser's CSP allows its inline styles."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guide_is_styled_with_no_stylesheet_request_and_no_csp_violation(
    page, live_server, watch, guides
):
    stylesheets = []
    page.on(
        "request",
        lambda request: request.resource_type == "stylesheet" and stylesheets.append(request.url),
    )

    response = page.goto(live_server.url + "/learn/overdose-what-to-do/")

    assert response.status == 200
    assert page.evaluate("getComputedStyle(document.querySelector('.crisis')).position") == "sticky"
    assert stylesheets == []
    assert watch.csp_violations() == []
    assert watch.console_errors == []
    assert watch.foreign_requests == []
