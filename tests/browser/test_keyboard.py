"""Signing with the keyboard alone, on a phone-sized screen.

Tab, Space and Enter only; every focused element shows a focus ring of at
least 3:1 against its surroundings; a failed submit puts focus on the error
summary, on screen; a link in the summary shows its field with label and
message.
"""

import re

from tests.browser.conftest import OPEN_SLUG, ORGANIZER

VIEWPORT = {"width": 320, "height": 700}

FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let node = element.parentElement, background = 'rgb(255, 255, 255)';
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    const seeThrough = !colour || colour === 'transparent' || colour.endsWith(', 0)');
    if (!seeThrough) { background = colour; break; }
    node = node.parentElement;
  }
  return {
    tag: element.tagName, id: element.id, text: (element.innerText || '').slice(0, 40),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor, background,
  };
}"""


def luminance(rgb: str) -> float:
    red, green, blue = (int(value) / 255 for value in re.findall(r"\d+", rgb)[:3])

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_focus_is_visible(page) -> dict:
    style = page.evaluate(FOCUS_STYLE)
    assert style["tag"] != "BODY", "focus was lost"
    assert style["outlineStyle"] != "none" and style["outlineWidth"] >= 2, style
    assert contrast(style["outlineColor"], style["background"]) >= 3, style
    return style


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Presses Tab until `selector` has focus, checking each stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_is_visible(page)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_a_campaign_is_signed_with_the_keyboard_alone(new_page, live_server):
    page = new_page(**VIEWPORT)
    page.goto(live_server(f"/c/{OPEN_SLUG}"))

    # The call to action is on the first screen and jumps to the form.
    assert in_viewport(page, ".hero__action a[href='#sign']")
    tab_to(page, ".hero__action a[href='#sign']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#sign$"))
    assert in_viewport(page, "#sign-heading")

    # A submit with nothing filled in: focus goes to the error summary, on screen.
    tab_to(page, "form[action$='/sign'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.matches('.error-summary')")
    assert in_viewport(page, ".error-summary__title")
    assert_focus_is_visible(page)

    # The summary's first link: focus on the name, its label and message in view.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#name"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "name"
    assert in_viewport(page, "label[for=name]") and in_viewport(page, "#name-error")
    assert page.get_attribute("#name", "aria-invalid") == "true"
    assert page.get_attribute("#consent", "aria-invalid") == "true"

    page.keyboard.type("Lee Keyboard")
    page.keyboard.press("Tab")
    page.keyboard.type("keyboard@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Busan")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "country"
    page.keyboard.type("South Korea")
    assert page.input_value("#country") == "KR"
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    assert page.is_checked("#consent")
    tab_to(page, "form[action$='/sign'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/c/{OPEN_SLUG}/thanks")
    tab_to(page, "a[href$='/letter.pdf']")


def test_a_failed_organizer_login_puts_focus_on_its_error_summary(new_page, live_server):
    page = new_page(**VIEWPORT)
    page.goto(live_server("/organizer/login"))
    tab_to(page, "#email")
    page.keyboard.type(ORGANIZER)
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.matches('.error-summary')")
    assert in_viewport(page, ".error-summary__title")
    assert_focus_is_visible(page)
