"""How the pages look beyond the default screen: dark mode, Windows high contrast, print,
and the cards visitors tap to open a guide."""

import pytest

from tests.browser.helpers import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-320", "desktop"])
@pytest.mark.parametrize("path", ["/", "/learn/overdose-what-to-do/"])
def test_dark_mode_keeps_every_colour_readable(page, live_server, guides, path, viewport):
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="dark")

    page.goto(live_server.url + path)

    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert_accessible(page)  # colour contrast among the rest


def test_tapping_anywhere_on_a_guide_card_opens_the_guide(page, live_server, guides):
    page.goto(live_server.url + "/learn/")
    card = page.locator(".card").filter(has_text="Signs of heroin use")

    assert card.get_by_role("link").count() == 1
    card.scroll_into_view_if_needed()
    # Where a thumb lands: the middle of the summary, away from the title's words.
    summary = card.locator("p").first.bounding_box()
    page.mouse.click(summary["x"] + summary["width"] / 2, summary["y"] + summary["height"] / 2)

    page.wait_for_url("**/learn/signs-of-heroin-use/")
    assert page.get_by_role("heading", level=1).inner_text() == "Signs of heroin use"


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet-768", "desktop"])
@pytest.mark.parametrize("path", ["/", "/learn/"])
def test_no_card_is_left_alone_on_the_last_row(page, live_server, guides, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path)

    # For each grid: the cards on its last row, and whether they fill the grid's width.
    last_rows = page.eval_on_selector_all(
        ".cards",
        """grids => grids.map(grid => {
            const cards = [...grid.children].map(card => card.getBoundingClientRect());
            const lastTop = Math.max(...cards.map(box => box.top));
            const last = cards.filter(box => box.top === lastTop);
            const width = grid.getBoundingClientRect().width;
            return {count: cards.length, onLastRow: last.length,
                    full: last.reduce((sum, box) => sum + box.width, 0) > width * 0.9};
        })""",
    )

    assert last_rows
    for row in last_rows:
        assert row["count"] == 1 or row["onLastRow"] >= 2 or row["full"], row


def test_a_printed_guide_keeps_the_crisis_numbers_and_drops_the_navigation(
    page, live_server, guides
):
    page.goto(live_server.url + "/learn/overdose-what-to-do/")
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.locator("main .btn").first.is_visible()

    page.emulate_media(media="print")

    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.locator("#quick-exit").is_visible()
    assert not page.locator("main .btn").first.is_visible()
    footer = page.locator(".site-footer")
    for number in ("911", "988", "1-800-662-4357"):
        assert footer.get_by_text(number, exact=True).is_visible(), number
    assert page.locator(".crisis").get_by_text("911").is_visible()
    # A link to another site prints where it goes.
    source = page.locator(".sources a").first
    after = source.evaluate("link => getComputedStyle(link, '::after').content")
    assert source.get_attribute("href") in after


def test_in_windows_high_contrast_exit_still_looks_like_a_button(page, live_server):
    page.emulate_media(forced_colors="active")

    page.goto(live_server.url + "/")

    exit_style = page.locator("#quick-exit").evaluate(
        "link => { const s = getComputedStyle(link);"
        " return {width: parseFloat(s.borderTopWidth), colour: s.borderTopColor}; }"
    )
    assert exit_style["width"] >= 2
    assert exit_style["colour"] not in ("transparent", "rgba(0, 0, 0, 0)")
