"""Content is never code: markup, script and template syntax in every field show as text,
in pages, search results, copy buttons and printed cards; a Content-Security-Policy
forbids any script but the site's own; nothing is requested from another origin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import RECORD_VIOLATIONS, serve
from conftest import assemble_library, make_project, mkdocs_build, wait_for_search
from htmlscan import parse
from playwright.sync_api import Browser, Page

from huashu import csp

# Real site builds and browsers: `make test`, not `make test-fast`.
pytestmark = pytest.mark.slow

HOSTILE_TEXT = '<img src=x onerror="window.__pwned=2">注入话术 {{ 7*7 }} {% if true %}模板{% endif %} {称呼}'
PAGES = (
    "",
    "greetings/",
    "inbound/",
    "questions/",
    "tags/",
    "review/",
    "search/?q=zhuru",
    "cards/",
    "cards/a4-4up-pinyin/",
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = make_project(root / "project", assemble_library(root / "lib", "hostile", cases="."))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve(hostile_site) as url:
        yield url


def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_carries_executable_content(hostile_site: Path) -> None:
    for path in built_pages(hostile_site):
        html = path.read_text(encoding="utf-8")
        for element in parse(path):
            handlers = [name for name in element.attrs if name.startswith("on")]
            assert handlers == [], f"{path}: <{element.tag} {handlers}>"
            for name in ("href", "src", "data", "action"):
                assert not element.attrs.get(name, "").strip().lower().startswith("javascript:"), (path, element)
            assert element.tag not in ("iframe", "object", "embed", "marquee"), (path, element.tag)
        assert csp.inline_scripts(html) == [], path  # the theme's own helpers are files too
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy, f"{path} has no Content-Security-Policy"
        script_src = next(d for d in policy.group(1).split("; ") if d.startswith("script-src "))
        assert script_src == "script-src 'self'"
        assert html.index("Content-Security-Policy") < html.index("<script"), f"{path}: policy after a script"


# The theme's own link in every page's footer ("Made with Material for MkDocs").
THEME_LINKS = {"https://squidfunk.github.io/mkdocs-material/"}
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def test_content_never_becomes_a_link_or_an_image(hostile_site: Path) -> None:
    """Tags, titles and descriptions written as Markdown ([t](url), ![](url), <url>) stay text."""
    for path in built_pages(hostile_site):
        for element in parse(path):
            for name in ("href", "src"):
                url = element.attrs.get(name, "")
                assert not _SCHEME.match(url) or url in THEME_LINKS, f"{path}: <{element.tag} {name}={url}>"
        assert "evil.example" not in " ".join(e.attrs.get("href", "") for e in parse(path)), path


def test_every_tag_is_a_heading_of_its_own_text_with_the_anchor_entries_link_to(hostile_site: Path) -> None:
    tags_page = parse(hostile_site / "tags" / "index.html")
    headings = {e.attrs["id"]: e.text.rstrip("#").strip() for e in tags_page if e.tag == "h2"}
    hello = next(e for e in parse(hostile_site / "greetings" / "index.html") if e.attrs.get("data-entry") == "hello")
    links = {a.text: a.attrs["href"] for a in hello.find_all("a") if "hs-tag" in a.classes}
    assert sorted(headings.values()) == sorted(links)
    for tag, href in links.items():
        page, anchor = href.split("#")
        assert page == "../tags/" and headings[anchor] == tag


def test_template_syntax_is_not_evaluated(hostile_site: Path) -> None:
    greetings = (hostile_site / "greetings" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in greetings and "49" not in greetings.split("注入话术")[1][:40]
    assert "{% if true %}模板{% endif %}" in greetings


def watch(page: Page) -> dict[str, list[str]]:
    """Everything that would show a script ran or content escaped: dialogs, errors, requests."""
    seen: dict[str, list[str]] = {"dialogs": [], "console": [], "errors": [], "requests": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: seen["console"].append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    return seen


def assert_nothing_ran(page: Page, seen: dict[str, list[str]], origin: str) -> None:
    assert page.evaluate("window.__pwned") is None
    assert seen["dialogs"] == []
    assert seen["errors"] == []
    assert seen["console"] == []  # a CSP refusal would be logged here
    assert [u for u in seen["requests"] if not u.startswith(origin)] == []


def test_every_page_shows_hostile_content_as_text(browser: Browser, hostile_url: str) -> None:
    context = browser.new_context()
    for path in PAGES:
        page = context.new_page()
        seen = watch(page)
        page.goto(hostile_url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        assert_nothing_ran(page, seen, hostile_url)
        page.close()
    page = context.new_page()
    page.goto(hostile_url + "greetings/")
    texts = page.eval_on_selector_all(".hs-text", "els => els.map(e => e.textContent)")
    assert HOSTILE_TEXT in texts
    heading = page.text_content("h1")
    assert heading is not None and "问候语<script>window.__pwned=17</script>" in heading
    context.close()


def test_search_and_copy_show_hostile_content_as_text(browser: Browser, hostile_url: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=hostile_url.rstrip("/"))
    page = context.new_page()
    seen = watch(page)
    page.goto(hostile_url + "greetings/")
    wait_for_search(page)
    page.keyboard.press("/")
    page.keyboard.type("zhuru")
    page.wait_for_selector(".hs-search:not(.hs-search--page) .hs-result:not([hidden])")
    shown = page.eval_on_selector_all(
        ".hs-search:not(.hs-search--page) .hs-result:not([hidden])", "items => items.map(li => li.textContent)"
    )
    assert any("<script>window.__pwned=1</script>注入标题" in text for text in shown)
    assert any('<img src=x onerror="window.__pwned=2">注入话术' in text for text in shown)
    ids = page.eval_on_selector_all(
        ".hs-search:not(.hs-search--page) .hs-result:not([hidden])", "items => items.map(li => li.dataset.id)"
    )
    for _ in range(ids.index("hello")):
        page.keyboard.press("ArrowDown")
    # {称呼} has no default in this library: copying asks for it, and takes it as text.
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(150)
    assert page.evaluate("document.activeElement.closest('.hs-search__salutation') !== null")
    salutation = '<b onclick="window.__pwned=3">$&</b>'
    page.keyboard.type(salutation)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(150)
    assert page.evaluate("navigator.clipboard.readText()") == HOSTILE_TEXT.replace("{称呼}", salutation)
    page.keyboard.press("Escape")
    page.locator(".hs-copy").first.click()
    page.wait_for_timeout(150)
    assert page.evaluate("navigator.clipboard.readText()") == HOSTILE_TEXT.replace("{称呼}", salutation)
    assert_nothing_ran(page, seen, hostile_url)
    context.close()


def test_printing_cards_runs_nothing_and_stays_on_the_origin(
    browser: Browser, hostile_url: str, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    seen = watch(page)
    page.goto(hostile_url + "cards/a6/")
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "cards.pdf"), prefer_css_page_size=True)
    titles = page.eval_on_selector_all(".hs-card__title", "els => els.map(e => e.textContent)")
    assert any('<img src=x onerror="window.__pwned=19">卡片注入' in t for t in titles), titles
    assert_nothing_ran(page, seen, hostile_url)
    context.close()


THEME_SCRIPT = '__md_scope=new URL(".",location),__md_get=()=>1'
# Inline scripts a hand-written page might carry: only the theme's exact text is moved to a file.
LOOKALIKES = (
    "window.__pwned=1",
    '__md_scope=new URL(".",location);window.__pwned=1',  # begins like Material's helper
    THEME_SCRIPT + ";window.__pwned=1",
    " " + THEME_SCRIPT,
)


def test_only_the_theme_scripts_exact_text_is_moved_to_a_file() -> None:
    page = "".join(f"<script>{script}</script>" for script in (THEME_SCRIPT, *LOOKALIKES))
    moved, unknown = csp.move_theme_scripts(page, frozenset({THEME_SCRIPT}), lambda script: "theme.js")
    assert unknown == list(LOOKALIKES)
    assert csp.inline_scripts(moved) == list(LOOKALIKES)
    assert moved.startswith('<script src="theme.js"></script>')
    hardened = csp.add_policy(f"<html><head><title>t</title></head><body>{moved}</body></html>")
    assert f'content="{csp.POLICY}"' in hardened
    assert hardened.index("Content-Security-Policy") < hardened.index("<title>")


@pytest.mark.parametrize("script", LOOKALIKES)
def test_unknown_inline_script_fails_the_strict_build(tmp_path: Path, script: str) -> None:
    project = make_project(tmp_path / "p", assemble_library(tmp_path / "lib"))
    (project / "docs" / "guide" / "search.md").write_text(f"# x\n\n<script>{script}</script>\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert f"guide/search.md 含有来历不明的内联脚本，已被内容安全策略禁止执行：{script[:80]!r}" in (
        result.stdout + result.stderr
    )


def test_a_script_that_begins_like_the_themes_does_not_run(tmp_path: Path, browser: Browser) -> None:
    project = make_project(tmp_path / "p", assemble_library(tmp_path / "lib"))
    (project / "docs" / "guide" / "search.md").write_text(
        f"# x\n\n<script>{LOOKALIKES[1]}</script>\n", encoding="utf-8"
    )
    assert mkdocs_build(project, "--no-strict").returncode == 0
    with serve(project / "site") as url:
        page = browser.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(url + "guide/search/")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("typeof __md_get") == "function"  # the theme's own helper still runs
        assert page.evaluate("window.__violations") == ["script-src-elem inline"]
        page.close()
