"""The search box in a real browser: typing, keyboard, copying, the search page, file://."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, open_page, wait_for_search
from eval_queries import load_queries, passes
from playwright.sync_api import Browser, Page

from huashu import load_library

QUERIES = load_queries()


@pytest.fixture
def page(browser: Browser, site_url: str) -> Page:
    page = open_page(browser, site_url + "greetings/", clipboard=True)
    wait_for_search(page)
    page.wait_for_selector("html[data-hs-search-ready]")
    yield page
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def shown_results(page: Page) -> list[dict]:
    """Title and text of each result as the UI shows them."""
    return page.eval_on_selector_all(
        ".hs-search:not(.hs-search--page) .hs-result:not([hidden])",
        """items => items.map(li => ({
            id: li.dataset.id,
            title: li.querySelector('.hs-result__title').textContent,
            text: (li.querySelector('.hs-result__text') || {textContent: ''}).textContent,
            marked: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
            selected: li.getAttribute('aria-selected') === 'true',
        }))""",
    )


def type_query(page: Page, query: str) -> None:
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query)


def test_public_queries_typed_into_the_box(page: Page) -> None:
    failed = []
    for query in QUERIES:
        type_query(page, query["q"])
        if not passes(query, shown_results(page)):
            failed.append((query["q"], [r["title"] for r in shown_results(page)[:5]]))
    assert failed == []


def test_public_queries_through_the_api(page: Page) -> None:
    results = page.evaluate(
        "async qs => { await window.huashu.complete; const out = [];"
        " for (const q of qs) out.push(await window.huashu.search(q, {limit: 5})); return out; }",
        [q["q"] for q in QUERIES],
    )
    assert [q["q"] for q, r in zip(QUERIES, results, strict=True) if not passes(q, r)] == []
    first = results[0][0]
    assert set(first) >= {"id", "kind", "title", "text", "url", "category"}
    assert first["url"].startswith("http://") and "#" in first["url"]


def test_matched_hanzi_are_highlighted_even_through_pinyin(page: Page) -> None:
    type_query(page, "tousu")
    assert shown_results(page)[0]["marked"] == ["投诉"]
    type_query(page, "shouwenfuze")
    assert "首问负责" in shown_results(page)[0]["marked"]


@pytest.mark.parametrize("shortcut", ["/", "s", "Control+k"])
def test_shortcuts_focus_the_box(page: Page, shortcut: str) -> None:
    page.locator("body").click()
    page.keyboard.press(shortcut)
    assert page.evaluate("document.activeElement.classList.contains('hs-search__input')")
    assert page.locator(".hs-search:not(.hs-search--page) .hs-search__input").input_value() == ""


def test_arrow_keys_select_and_enter_opens_the_entry(page: Page, site_url: str) -> None:
    type_query(page, "jiaojieban")
    results = shown_results(page)
    assert results[0]["selected"]
    page.keyboard.press("ArrowDown")
    assert shown_results(page)[1]["selected"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # wraps around to the last result
    assert shown_results(page)[-1]["selected"]
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site_url + "shift/#handover"


def test_copy_key_copies_the_phrase_with_the_salutation_filled(page: Page) -> None:
    page.keyboard.press("/")
    page.fill(".hs-search:not(.hs-search--page) .hs-search__salutation input", "王先生")
    page.keyboard.press("Enter")  # back to the search box
    assert page.evaluate("document.activeElement.classList.contains('hs-search__input')")
    page.keyboard.type("rangninjiudengle")
    results = shown_results(page)
    index = [r["id"] for r in results].index("hold-return")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-id=\"hold-return\"] .hs-result__copy').textContent === '已复制'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == "王先生，对不起，让您久等了。"
    # Ctrl+C copies too when nothing is selected in the box: the recommended words, never
    # the forbidden ones, and never with a raw {部门}: it is asked for first.
    type_query(page, "fwjy buguiwoguan")
    page.keyboard.press("Control+c")
    page.wait_for_timeout(100)
    assert page.evaluate("navigator.clipboard.readText()") == "王先生，对不起，让您久等了。"
    assert page.evaluate("document.activeElement.getAttribute('data-placeholder')") == "部门"
    page.keyboard.type("售后服务部")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+c")
    page.wait_for_timeout(100)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("这个问题由售后服务部负责")


def test_empty_box_shows_starred_and_recently_copied(page: Page) -> None:
    type_query(page, "biaozhunwenhouyu")
    page.keyboard.press("Control+s")  # star the first result
    page.keyboard.press("Control+Enter")  # and copy it
    type_query(page, "ganxielaidian")
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(100)
    type_query(page, "")
    groups = page.eval_on_selector_all(
        ".hs-search:not(.hs-search--page) .hs-search__group:not([hidden])", "g => g.map(x => x.textContent)"
    )
    assert groups == ["收藏", "最近复制"]
    ids = [r["id"] for r in shown_results(page)]
    assert ids == ["greeting-standard", "thanks-call", "greeting-standard"]
    page.reload()
    wait_for_search(page)
    page.wait_for_selector("html[data-hs-search-ready]")
    type_query(page, "")
    assert [r["id"] for r in shown_results(page)] == ids  # kept in localStorage


# ui.js keeps at most this many starred and recently copied ids (MAX_ITEMS).
MAX_STARRED, MAX_RECENT = 50, 10


def stored(page: Page, key: str) -> list[str]:
    return page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)


def test_huge_stored_lists_are_read_deduplicated_and_capped(page: Page) -> None:
    """A stored list however long (another tab, an old version, a hand edit) shows at most
    its cap of rows, each id once; a value far too long to be ours is not even parsed."""
    ids = [e.id for e in load_library(REPO / "scripts_library", base=REPO).entries]
    page.evaluate(
        """([ids, max]) => {
            localStorage.setItem("huashu.starred", JSON.stringify(Array(5000).fill(ids[0]).concat(ids, [7, null])));
            localStorage.setItem("huashu.recent", JSON.stringify(Array(20000).fill(ids[1]).concat([ids[2]])));
        }""",
        [ids, MAX_STARRED],
    )
    type_query(page, "")
    starred = ids[:MAX_STARRED]
    assert [r["id"] for r in shown_results(page)] == starred + ids[1:3]

    page.keyboard.press("ArrowDown")
    page.keyboard.press("Control+s")  # unstar the second: the list written back is clean
    assert stored(page, "huashu.starred") == [ids[0], *ids[2:MAX_STARRED]]
    page.keyboard.press("Control+s")  # and star it again
    assert stored(page, "huashu.starred") == [ids[1], ids[0], *ids[2:MAX_STARRED]]

    type_query(page, ids[MAX_STARRED + 5])  # a full list takes no more, and says so
    assert shown_results(page)[0]["id"] not in stored(page, "huashu.starred")
    page.keyboard.press("Control+s")
    assert "收藏已满 50 条" in (page.text_content(".hs-search:not(.hs-search--page) .hs-result__alert") or "")
    assert len(stored(page, "huashu.starred")) == MAX_STARRED

    page.evaluate("id => localStorage.setItem('huashu.recent', JSON.stringify(Array(100000).fill(id)))", ids[3])
    type_query(page, "")
    assert len(shown_results(page)) == MAX_STARRED  # the 2 MB recent list is not read at all


def test_kind_filter(page: Page) -> None:
    type_query(page, "tousu")
    page.keyboard.press("Alt+4")
    kinds = page.eval_on_selector_all(
        ".hs-search:not(.hs-search--page) .hs-result:not([hidden]) .hs-result__kind", "k => k.map(x => x.textContent)"
    )
    assert kinds and set(kinds) == {"问答"}
    page.click(".hs-search:not(.hs-search--page) [data-kind='procedure']")
    kinds = page.eval_on_selector_all(
        ".hs-search:not(.hs-search--page) .hs-result:not([hidden]) .hs-result__kind", "k => k.map(x => x.textContent)"
    )
    assert kinds and set(kinds) == {"流程"}


def test_search_page_has_a_shareable_url(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url + "search/?q=tousu")
    page.wait_for_selector(".hs-search--page .hs-result:not([hidden])")
    titles = page.eval_on_selector_all(
        ".hs-search--page .hs-result:not([hidden]) .hs-result__title", "t => t.map(x => x.textContent)"
    )
    assert any("投诉" in t for t in titles[:5])
    page.keyboard.press("Control+a")
    page.keyboard.type("huifang")
    assert page.url.endswith("search/?q=huifang")
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_search_works_from_disk(browser: Browser, bundled_site: Path) -> None:
    page = open_page(browser, (bundled_site / "greetings" / "index.html").as_uri())
    wait_for_search(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    type_query(page, "tousu")
    results = shown_results(page)
    assert "投诉" in results[0]["title"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # From disk a folder URL would open a file listing: links go to index.html.
    # The first result is on the complaint handling page (投诉处理四步骤).
    assert page.url.startswith((bundled_site / "complaint-handling" / "index.html").as_uri() + "#")
    page.click("a.md-nav__link[href*='greetings']")
    assert page.url == (bundled_site / "greetings" / "index.html").as_uri()
    assert all(url.startswith("file://") for url in requests)
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_large_index_loads_its_body_only_when_someone_searches(browser: Browser, tmp_path: Path) -> None:
    import os

    from conftest import make_project, mkdocs_build

    project = make_project(tmp_path / "p")
    os.environ["HUASHU_LAZY_INDEX_BYTES"] = "0"  # treat the bundled library as a large one
    try:
        assert mkdocs_build(project).returncode == 0
    finally:
        del os.environ["HUASHU_LAZY_INDEX_BYTES"]
    from browser import serve

    with serve(project / "site") as url:
        context = browser.new_context()
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "greetings/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        assert any(u.endswith("search/data/head.js") for u in requests)
        assert not [u for u in requests if "/search/data/body-" in u], "a page view must not fetch the body"
        type_query(page, "tousu")
        wait_for_search(page)
        assert [u for u in requests if "/search/data/body-" in u]
        assert "投诉" in shown_results(page)[0]["title"]
        context.close()


def test_engine_and_loader_answer_together_on_a_built_page(page: Page) -> None:
    """engine.js (pure engine) and loader.js (window.huashu) both load async from <head>."""
    scripts = page.eval_on_selector_all(
        "head script[src*='assets/search/']", "s => s.map(x => [x.getAttribute('src').split('/').pop(), x.async])"
    )
    assert scripts == [["engine.js", True], ["loader.js", True]]
    state = page.evaluate(
        """() => ({
            hasError: 'error' in window.huashu,
            version: window.HuashuEngine.FORMAT_VERSION,
            built: window.huashu._engine() instanceof window.HuashuEngine,
            ids: window.huashu.searchNow('tousu', {limit: 3}).map(r => r.id),
        })"""
    )
    assert state["hasError"] is False  # set only for an index of another format
    from huashu.search_index import FORMAT_VERSION

    assert state["version"] == FORMAT_VERSION and state["built"]
    assert len(state["ids"]) == 3
