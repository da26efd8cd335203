"""The search box with the agent's own words: partial matches, the channel filter, no dead
ends, and the missed searches kept for team leads (the 搜索未命中 page)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import open_page, wait_for_search
from playwright.sync_api import Browser, Page

BOX = ".hs-search:not(.hs-search--page)"
SETTLE_MS = 2000  # ui.js: a query unchanged this long is recorded if it missed


def ready(page: Page) -> Page:
    wait_for_search(page)
    page.wait_for_selector("html[data-hs-search-ready]")
    return page


@pytest.fixture
def page(browser: Browser, site_url: str) -> Page:
    page = ready(open_page(browser, site_url + "greetings/", clipboard=True))
    yield page
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def type_query(page: Page, query: str, box: str = BOX) -> None:
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query)


def panel(page: Page, box: str = BOX) -> dict:
    """What the panel shows, line by line, as the agent sees it."""
    return page.eval_on_selector(
        f"{box} .hs-search__results",
        """list => {
            const shown = el => el && !el.hidden && el.offsetParent !== null;
            const lines = Array.from(list.children).filter(shown);
            return {
                lines: lines.map(li => li.classList.contains('hs-result') ? 'row'
                    : li.classList.contains('hs-search__group--partial') ? 'divider'
                    : li.className.replace('hs-search__', '')),
                rows: lines.filter(li => li.classList.contains('hs-result')).map(li => ({
                    id: li.dataset.id,
                    title: li.querySelector('.hs-result__title').textContent,
                    partial: shown(li.querySelector('.hs-result__partial')),
                    channels: shown(li.querySelector('.hs-result__channels'))
                        ? li.querySelector('.hs-result__channels').textContent : '',
                    selected: li.getAttribute('aria-selected') === 'true',
                })),
                divider: lines.filter(li => li.classList.contains('hs-search__group--partial')).map(li => li.textContent),
                notice: lines.filter(li => li.classList.contains('hs-search__notice')).map(li => li.textContent),
                suggest: lines.filter(li => li.classList.contains('hs-search__suggest')).map(li => li.textContent),
                empty: lines.filter(li => li.classList.contains('hs-search__empty')).map(li => li.textContent),
            };
        }""",
    )


def api_matches(page: Page, query: str) -> list[str]:
    return page.evaluate("q => window.huashu.searchNow(q, {limit: 10}).map(r => r.match)", query)


def misses(page: Page) -> list[dict]:
    return page.evaluate("JSON.parse(localStorage.getItem('huashu.misses') || '[]')")


# --- the agent's words --------------------------------------------------------------------


@pytest.mark.parametrize("query", ["怎么挂电话？", "客户要退款", "什么是首问负责制？", "tou'su", "3声"])
def test_situational_queries_find_entries(page: Page, query: str) -> None:
    type_query(page, query)
    shown = panel(page)
    assert shown["rows"], (query, shown)
    assert shown["empty"] == []
    assert "没有找到" not in json.dumps(shown, ensure_ascii=False)


def test_partial_matches_come_after_one_divider_and_carry_a_label(page: Page) -> None:
    candidates = ["怎么挂电话？", "投诉 火星", "zzz 投诉", "客户要退款 火星"]
    mixed = next((q for q in candidates if {"all", "partial"} <= set(api_matches(page, q))), None)
    assert mixed, "no query with both full and partial matches: pick another candidate"
    type_query(page, mixed)
    shown = panel(page)
    matches = api_matches(page, mixed)
    assert [row["partial"] for row in shown["rows"]] == [m == "partial" for m in matches]
    assert shown["divider"] == ["以下结果只匹配了部分词语"]
    first_partial = matches.index("partial")
    lines = shown["lines"]
    assert lines.count("divider") == 1
    assert lines.index("divider") == lines.index("row") + first_partial  # right above the first partial row
    assert shown["notice"] == []  # some results match the whole query
    # Nothing matches all of 火星人: said first, then the partial rows under the divider.
    assert set(api_matches(page, "火星人")) == {"partial"}
    type_query(page, "火星人")
    shown = panel(page)
    assert shown["notice"] == ["没有完全匹配“火星人”的结果"]
    assert shown["lines"][:3] == ["notice", "divider", "row"]
    assert shown["rows"] and all(row["partial"] for row in shown["rows"])
    assert shown["rows"][0]["selected"]


def test_highlights_stay_text(page: Page) -> None:
    type_query(page, "zzz 投诉")
    marks = page.eval_on_selector_all(f"{BOX} .hs-result:not([hidden]) mark", "m => m.map(x => x.children.length)")
    assert marks and set(marks) == {0}


# --- channels -----------------------------------------------------------------------------


def test_channel_filter_persists_and_leaves_the_keys_alone(page: Page, site_url: str) -> None:
    type_query(page, "3声")
    labels = [row["channels"] for row in panel(page)["rows"]]
    assert "电话" in labels and "" in labels  # limited entries say so; general ones say nothing
    page.select_option(f"{BOX} .hs-search__channel", "chat")
    # Back in the box: the keys still work there.
    assert page.evaluate("document.activeElement.classList.contains('hs-search__input')")
    shown = panel(page)
    assert shown["rows"]
    assert all(row["channels"] == "" or "在线" in row["channels"] for row in shown["rows"])
    api_channels = page.evaluate("window.huashu.searchNow('3声', {limit: 10, channel: 'chat'}).map(r => r.channels)")
    assert all(c == [] or "chat" in c for c in api_channels)
    assert [row["id"] for row in shown["rows"]] == page.evaluate(
        "window.huashu.searchNow('3声', {limit: 10, channel: 'chat'}).map(r => r.id)"
    )
    page.keyboard.press("ArrowDown")
    assert panel(page)["rows"][1]["selected"]
    page.keyboard.press("Alt+3")  # kinds still switch with Alt+digit
    assert page.get_attribute(f"{BOX} [data-kind='procedure']", "aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('huashu.channel')") == "chat"
    page.reload()
    ready(page)
    assert page.eval_on_selector(f"{BOX} .hs-search__channel", "s => s.value") == "chat"
    type_query(page, "3声")
    assert "电话" not in [row["channels"] for row in panel(page)["rows"]]
    # The search page's own box filters the same way.
    page.goto(site_url + "search/?q=3%E5%A3%B0")
    ready(page)
    page.wait_for_selector(".hs-search--page .hs-result:not([hidden])")
    assert page.eval_on_selector(".hs-search--page .hs-search__channel", "s => s.value") == "chat"
    rows = panel(page, ".hs-search--page")["rows"]
    assert rows and "电话" not in [row["channels"] for row in rows]
    page.select_option(".hs-search--page .hs-search__channel", "")
    assert page.evaluate("localStorage.getItem('huashu.channel')") == ""
    assert "电话" in [row["channels"] for row in panel(page, ".hs-search--page")["rows"]]


def test_a_stored_channel_that_does_not_exist_means_every_channel(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url + "greetings/")
    page.evaluate("localStorage.setItem('huashu.channel', '<b>fax</b>')")
    page.reload()
    ready(page)
    assert page.eval_on_selector(f"{BOX} .hs-search__channel", "s => s.value") == ""
    type_query(page, "3声")
    assert panel(page)["rows"]
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


# --- no dead ends -------------------------------------------------------------------------


def test_nonsense_never_ends_in_a_bare_not_found(page: Page) -> None:
    type_query(page, "zzzzqqq")
    shown = panel(page)
    assert shown["rows"] == [] or all(row["partial"] for row in shown["rows"])
    text = json.dumps(shown, ensure_ascii=False)
    assert "没有完全匹配“zzzzqqq”的结果" in text and "没有找到" not in text
    if not shown["rows"]:
        assert "试试" in shown["empty"][0]  # what to try instead
    # With a channel on, the advice says so.
    page.select_option(f"{BOX} .hs-search__channel", "counter")
    type_query(page, "zzzzqqq")
    if not panel(page)["rows"]:
        assert "柜台" in panel(page)["empty"][0]
    # 火星人 shares a character or two with entries: those, marked partial.
    type_query(page, "火星人")
    shown = panel(page)
    assert shown["rows"] and all(row["partial"] for row in shown["rows"])
    assert shown["empty"] == []


def test_nearest_entries_and_did_you_mean_when_nothing_matches(page: Page) -> None:
    """The panel's side of huashu.nearest: the closest entries as rows, and a suggestion
    that searches its title (the engine's answers are stubbed to pin them down)."""
    page.evaluate(
        """() => {
            const api = window.huashu, searchNow = api.searchNow;
            window.nearestCalls = [];
            api.searchNow = (q, o) => q === 'tsxyz' ? [] : searchNow(q, o);
            api.nearest = (q, o) => {
                window.nearestCalls.push([q, o.channel || '']);
                const results = searchNow('投诉', {limit: 3}).map(r => Object.assign({}, r, {match: 'partial'}));
                return {results, didYouMean: '投诉处理'};
            };
        }"""
    )
    type_query(page, "tsxyz")
    shown = panel(page)
    assert shown["notice"] == ["没有完全匹配“tsxyz”的结果"]
    assert shown["suggest"] == ["您是不是要找：投诉处理"]
    assert len(shown["rows"]) == 3 and all(row["partial"] for row in shown["rows"])
    assert shown["lines"][:4] == ["notice", "suggest", "divider", "row"]
    assert shown["rows"][0]["selected"]  # Enter would open the closest entry
    assert page.evaluate("window.nearestCalls[window.nearestCalls.length - 1]") == ["tsxyz", ""]
    # The rows are ordinary results: Ctrl+Enter copies the first.
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => document.querySelector('.hs-search:not(.hs-search--page) .hs-copied')")
    # ↑ selects the suggestion; Enter searches its title.
    type_query(page, "tsxyz")
    page.keyboard.press("ArrowUp")
    assert page.get_attribute(f"{BOX} .hs-search__suggest", "aria-selected") == "true"
    page.keyboard.press("Enter")
    assert page.input_value(f"{BOX} .hs-search__input") == "投诉处理"
    shown = panel(page)
    assert shown["suggest"] == [] and shown["notice"] == [] and shown["rows"]
    assert "投诉处理" in [row["title"] for row in shown["rows"]]
    # A click on it does the same.
    type_query(page, "tsxyz")
    page.click(f"{BOX} .hs-search__suggest")
    assert page.input_value(f"{BOX} .hs-search__input") == "投诉处理"
    # The query that needed a suggestion is a miss worth keeping.
    assert "tsxyz" in [m["q"] for m in misses(page)]


# --- missed searches ----------------------------------------------------------------------


def test_missed_searches_are_kept_when_settled_and_listed_for_team_leads(page: Page, site_url: str) -> None:
    today = datetime.date.today().isoformat()
    type_query(page, "火星人")  # 火 and 火星 on the way there must not be recorded
    assert misses(page) == []  # not while typing
    page.wait_for_timeout(SETTLE_MS + 400)
    assert misses(page) == [{"q": "火星人", "n": 1, "last": today}]
    page.wait_for_timeout(SETTLE_MS + 400)  # still the same query: counted once
    assert [m["n"] for m in misses(page)] == [1]
    type_query(page, "投诉")  # found: never a miss
    page.keyboard.press("Escape")
    for _ in range(2):  # searched twice, settled each time by Esc
        type_query(page, "zzzzqqq")
        page.keyboard.press("Escape")
    type_query(page, "zzzzqqq")
    page.mouse.click(5, 300)  # and a third time, closing the panel by clicking the page
    assert page.is_hidden(f"{BOX} .hs-search__panel")
    recorded = {m["q"]: m["n"] for m in misses(page)}
    assert recorded == {"火星人": 1, "zzzzqqq": 3}

    console: list[str] = []  # a Content-Security-Policy refusal is logged here
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(site_url + "misses/")
    page.wait_for_selector(".hs-misses__table:not([hidden])")
    rows = page.eval_on_selector_all(
        ".hs-misses__table tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    assert rows == [["zzzzqqq", "3", today], ["火星人", "1", today]]  # most frequent first
    link = page.get_attribute(".hs-misses__table tbody a", "href")
    assert link is not None and link.endswith("search/?q=zzzzqqq")
    assert "搜索未命中" in page.eval_on_selector_all("a.md-nav__link", "a => a.map(x => x.textContent.trim())")

    page.click("button[data-action='copy']")
    page.wait_for_function("() => document.querySelector('.hs-misses__status').textContent.includes('已复制')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.splitlines() == ["搜索词\t次数\t最近一次", f"zzzzqqq\t3\t{today}", f"火星人\t1\t{today}"]

    with page.expect_download() as download:
        page.click("button[data-action='csv']")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".csv")
    data = Path(path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert data.decode("utf-8-sig").splitlines() == ["搜索词,次数,最近一次", f"zzzzqqq,3,{today}", f"火星人,1,{today}"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[data-action='clear']")
    assert misses(page) == []
    assert page.is_visible(".hs-misses__empty")
    assert page.is_hidden(".hs-misses__table")
    assert page.is_disabled("button[data-action='copy']")
    assert console == []


def test_a_query_still_in_the_input_method_is_not_settled(page: Page) -> None:
    page.keyboard.press("/")
    page.evaluate(
        """() => {
            const input = document.querySelector('.hs-search:not(.hs-search--page) .hs-search__input');
            input.dispatchEvent(new CompositionEvent('compositionstart'));
            input.value = 'zzzzq';  // still being composed (a miss if it were settled)
            input.dispatchEvent(new InputEvent('input', {isComposing: true}));
        }"""
    )
    page.wait_for_timeout(SETTLE_MS + 400)
    assert misses(page) == []
    page.evaluate(
        """() => {
            const input = document.querySelector('.hs-search:not(.hs-search--page) .hs-search__input');
            input.value = '火星人';
            input.dispatchEvent(new InputEvent('input', {isComposing: true}));
            input.dispatchEvent(new CompositionEvent('compositionend'));
        }"""
    )
    page.wait_for_timeout(SETTLE_MS + 400)
    assert [m["q"] for m in misses(page)] == ["火星人"]


def test_leaving_the_page_settles_the_query(page: Page, site_url: str) -> None:
    type_query(page, "火星人")
    page.goto(site_url + "hold/")  # before the 2 s are up
    assert [m["q"] for m in misses(page)] == ["火星人"]


def test_csv_export_keeps_formulas_and_separators_as_text(page: Page, site_url: str) -> None:
    stored = [{"q": '=HYPERLINK("x"),1', "n": 2, "last": "2026-01-02"}, {"q": "@sum", "n": 1, "last": "2026-01-01"}]
    page.evaluate("v => localStorage.setItem('huashu.misses', JSON.stringify(v))", stored)
    page.goto(site_url + "misses/")
    with page.expect_download() as download:
        page.click("button[data-action='csv']")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ['"\'=HYPERLINK(""x""),1",2,2026-01-02', "'@sum,1,2026-01-01"]


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize(
    ("stored", "kept"),
    [
        ("not json {", []),
        (_dumps({"q": "火星人"}), []),
        (
            _dumps([1, None, "x", [], {"q": 5}, {"q": "  ok  ", "n": "abc", "last": "<b>"}, {"q": "<img src=x>"}]),
            [["ok", "1", ""], ["<img src=x>", "1", ""]],  # what can be read, as text
        ),
        (
            # ~800 KB of duplicates: merged into one, counting the first 5,000 items read
            _dumps([{"q": "火星人", "n": 1, "last": "2026-01-01"}] * 20000),
            [["火星人", "5000", "2026-01-01"]],
        ),
        (_dumps([{"q": f"词{i}", "n": 1, "last": "2026-01-01"} for i in range(30000)]), []),  # over the read cap
    ],
    ids=["not-json", "not-a-list", "wrong-items", "duplicates", "oversized"],
)
def test_a_corrupted_misses_list_breaks_nothing(browser: Browser, site_url: str, stored: str, kept: list) -> None:
    today = datetime.date.today().isoformat()
    page = open_page(browser, site_url + "greetings/")
    page.evaluate("v => localStorage.setItem('huashu.misses', v)", stored)
    page.reload()
    ready(page)
    type_query(page, "投诉")
    assert panel(page)["rows"]
    type_query(page, "zzzzqqq")
    page.keyboard.press("Escape")  # settles: the list is read, cleaned and written back
    written = misses(page)
    assert written[0] == {"q": "zzzzqqq", "n": 1, "last": today}
    assert len(written) == 1 + len(kept)
    page.goto(site_url + "misses/")
    page.wait_for_selector(".hs-misses__table:not([hidden])")
    rows = page.eval_on_selector_all(
        ".hs-misses__table tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    assert sorted(rows) == sorted([["zzzzqqq", "1", today], *kept])
    assert page.eval_on_selector_all(".hs-misses__table img, .hs-misses__table b", "x => x.length") == 0
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_the_list_keeps_the_200_most_recent(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url + "greetings/")
    stored = [{"q": f"词{i}", "n": 1, "last": "2026-01-01"} for i in range(200)]  # most recent first
    page.evaluate("v => localStorage.setItem('huashu.misses', v)", _dumps(stored))
    page.reload()
    ready(page)
    type_query(page, "zzzzqqq")
    page.keyboard.press("Escape")
    written = [m["q"] for m in misses(page)]
    assert len(written) == 200 and written[0] == "zzzzqqq" and "词198" in written and "词199" not in written
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_misses_page_is_generated_after_review_in_the_navigation(bundled_site: Path) -> None:
    html = (bundled_site / "misses" / "index.html").read_text(encoding="utf-8")
    assert "data-hs-misses" in html and 'data-search-page="../search/"' in html
    assert "synonyms.yaml" in html
    home = (bundled_site / "index.html").read_text(encoding="utf-8")
    review, misses_link = home.index('href="review/"'), home.index('href="misses/"')
    assert review < misses_link and home.count('href="', review, misses_link) == 1  # right after 待复核
    assert 'src="assets/search/misses.js"' in home
