"""Browser tests for the generated pages: copy buttons and a site that stays on its own origin."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

# Real site builds and browsers: `make test`, not `make test-fast`.
pytestmark = pytest.mark.slow


def test_copy_button_puts_exactly_the_phrase_on_the_clipboard(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "hold/")
    button = page.locator('[data-entry="hold-return"] button.hs-copy').first
    button.click()
    # {称呼} left empty: left out with its comma (placeholders.yaml omit), never the raw placeholder.
    assert page.evaluate("navigator.clipboard.readText()") == "对不起，让您久等了。"
    assert button.inner_text() == "已复制"
    # A forbidden phrase copies its recommended alternative, never the forbidden words.
    page.goto(site_url + "forbidden/")
    page.locator('[data-entry="forbidden-dont-know"] button.hs-copy').click()
    assert page.evaluate("navigator.clipboard.readText()") == "这个问题我帮您核实一下，请您稍等。"
    assert requests and all(url.startswith(site_url) for url in requests), [
        url for url in requests if not url.startswith(site_url)
    ]
    context.close()


def test_copy_works_without_the_clipboard_api(browser: Browser, site_url: str) -> None:
    """Intranet servers often use plain http, where navigator.clipboard does not exist."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false});")
    page.goto(site_url + "greetings/")
    copied = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('copy', () => resolve(document.activeElement.value), {once: true});
            document.querySelector('[data-entry="greeting-standard"] button.hs-copy').click();
        })"""
    )
    assert copied == "您好，很高兴为您服务，请问有什么可以帮您？"
    assert page.locator('[data-entry="greeting-standard"] button.hs-copy').first.inner_text() == "已复制"
    context.close()
