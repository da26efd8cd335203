"""The web server setups in docs/guide/publish.md work: their headers are read from the
guide itself (so the guide cannot drift from what is tested), then the built site is
served with exactly those headers and used as agents and trainers use it: home page,
an entry page, search, copy, a cards page printed to PDF. Nothing may be refused by
the Content-Security-Policy, and printed cards keep their paper size."""

from __future__ import annotations

import re
from pathlib import Path

from browser import RECORD_VIOLATIONS, serve
from conftest import REPO, wait_for_search
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from huashu import csp
from huashu.cards import PAPER

GUIDE = REPO / "docs" / "guide" / "publish.md"
MM_PER_PT = 25.4 / 72
_NGINX_HEADER = re.compile(r'add_header\s+(?P<name>\S+)\s+"(?P<value>[^"]*)"\s+always;')
_CADDY_HEADER = re.compile(r'(?P<name>[A-Za-z-]+)\s+"(?P<value>[^"]*)"')


def config_block(language: str) -> str:
    (block,) = re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    return block


def nginx_headers() -> dict[str, str]:
    """The add_header lines of the guide's nginx server block, checked to sit at server level:
    one add_header inside a location drops every server-level one there."""
    headers, depth = {}, 0
    for line in config_block("nginx").splitlines():
        code = line.split("#")[0].strip()
        if code.startswith("add_header"):
            match = _NGINX_HEADER.fullmatch(code)
            assert match, f'not a plain `add_header Name "value" always;`: {code}'
            assert depth == 1, f"add_header inside a location block: {code}"
            headers[match["name"]] = match["value"]
        depth += code.count("{") - code.count("}")
    return headers


def caddy_headers() -> dict[str, str]:
    (block,) = re.findall(r"\n\theader \{\n(.*?)\n\t\}", config_block("caddy"), flags=re.S)
    matches = [_CADDY_HEADER.fullmatch(line.strip()) for line in block.splitlines()]
    assert all(matches), block
    return {m["name"]: m["value"] for m in matches if m}


def test_nginx_and_caddy_send_the_same_headers_and_the_sites_own_policy() -> None:
    headers = nginx_headers()
    assert caddy_headers() == headers
    assert headers["Content-Security-Policy"] == csp.HEADER_POLICY
    # Every directive of the pages' own policy, unchanged: two policies are both enforced.
    assert csp.HEADER_POLICY.startswith(csp.POLICY + "; ")


def open_watched(page: Page, url: str) -> dict[str, str]:
    """Go to `url`; the response's headers."""
    response = page.goto(url)
    assert response is not None and response.ok
    page.wait_for_load_state("load")
    return response.headers


def assert_nothing_refused(page: Page, errors: list[str]) -> None:
    assert page.evaluate("window.__violations") == []
    assert errors == []


def test_the_site_works_under_the_guides_headers(bundled_site: Path, browser: Browser, tmp_path: Path) -> None:
    headers = nginx_headers()
    with serve(bundled_site, headers) as url:
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        sent = open_watched(page, url)
        assert sent["content-security-policy"] == csp.HEADER_POLICY  # the header really is sent
        assert page.evaluate("typeof __md_get") == "function"  # the theme's helpers, from their files
        assert_nothing_refused(page, errors)

        open_watched(page, url + "hold/")  # an entry page: search and copy
        wait_for_search(page)
        page.keyboard.press("/")
        page.keyboard.type("jiudeng")
        page.wait_for_selector(".hs-search:not(.hs-search--page) .hs-result:not([hidden])")
        page.keyboard.press("Escape")
        page.locator('[data-entry="hold-return"] button.hs-copy').first.click()
        assert page.evaluate("navigator.clipboard.readText()") == "对不起，让您久等了。"
        assert_nothing_refused(page, errors)

        open_watched(page, url + "search/?q=tousu")
        page.wait_for_selector(".hs-search--page .hs-result:not([hidden])")
        assert_nothing_refused(page, errors)

        open_watched(page, url + "cards/a6/")
        page.emulate_media(media="print")
        pdf = tmp_path / "cards.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        assert_nothing_refused(page, errors)
        sizes = {
            (round(float(p.mediabox.width) * MM_PER_PT), round(float(p.mediabox.height) * MM_PER_PT))
            for p in PdfReader(str(pdf)).pages
        }
        assert sizes == {PAPER["a6"]}, sizes  # the card's size, not US Letter
        context.close()
