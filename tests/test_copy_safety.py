"""Safe to copy during a live call, and usable beside the soft-phone.

Copying (the search box's keys and buttons, the pages' buttons) takes only words said to
the customer, with every {占位符} filled (the agent's values, else the library's defaults;
with neither, copying refuses visibly), never forbidden wording and never a raw {…}.
Forbidden entries are unmistakable in the results. The panel, the search page and the
entry pages work 360–420 px wide. A body index that cannot load says so and leaves title
search working. Real Chromium, real clipboard."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import serve
from conftest import REPO, open_page, wait_for_search
from playwright.sync_api import Browser, Page

from huashu import load_library, model

BOX = ".hs-search:not(.hs-search--page)"
SELECTED = BOX + " .hs-result[aria-selected='true']:not([hidden])"
SENTINEL = "（复制之前剪贴板里的内容）"
NO_WORDS = "这条是给坐席的处理办法，没有可以直接对客户说的话"
BODY_ERROR = "全文索引载入失败，目前只能按标题搜索"


@pytest.fixture(scope="module")
def library() -> model.Library:
    return load_library(REPO / "scripts_library", base=REPO)


def ready(page: Page) -> Page:
    wait_for_search(page)
    page.wait_for_selector("html[data-hs-search-ready]")
    return page


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    page = ready(open_page(browser, site_url + "greetings/", clipboard=True))
    set_clipboard(page, SENTINEL)
    yield page
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def clipboard(page: Page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def set_clipboard(page: Page, text: str) -> None:
    page.evaluate("text => navigator.clipboard.writeText(text)", text)


def search(page: Page, query: str) -> None:
    """`query` typed into the header box, wherever the focus was."""
    page.locator(BOX + " .hs-search__input").focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query)


def row_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(BOX + " .hs-result:not([hidden])", "rows => rows.map(r => r.dataset.id)")


def select(page: Page, entry_id: str, query: str) -> None:
    """Search `query` and move the selection to the result `entry_id` with the arrow keys."""
    search(page, query)
    ids = row_ids(page)
    assert entry_id in ids, (query, ids)
    for _ in range(ids.index(entry_id)):
        page.keyboard.press("ArrowDown")
    assert page.get_attribute(SELECTED, "data-id") == entry_id


def selected(page: Page) -> dict:
    """What the selected row shows, as the agent sees it."""
    return page.eval_on_selector(
        SELECTED,
        """li => {
            const shown = el => !!el && !el.hidden && el.offsetParent !== null;
            const text = sel => shown(li.querySelector(sel)) ? li.querySelector(sel).textContent : null;
            return {
                kind: text('.hs-result__kind'),
                title: text('.hs-result__title'),
                text: text('.hs-result__text'),
                preview: text('.hs-result__preview'),
                copy: text('.hs-result__copy'),
                note: text('.hs-result__note'),
                flash: li.querySelector('.hs-result__note').classList.contains('hs-result__note--flash'),
                alert: text('.hs-result__alert'),
                fields: Array.from(li.querySelectorAll('.hs-result__fields input')).filter(shown).map(i => ({
                    name: i.dataset.placeholder, placeholder: i.placeholder, value: i.value,
                    label: i.closest('label').textContent,
                })),
                filled: Array.from(li.querySelectorAll('mark.hs-ph')).map(m => m.textContent),
                missing: Array.from(li.querySelectorAll('mark.hs-ph--missing')).map(m => m.textContent),
                struck: getComputedStyle(li.querySelector('.hs-result__title')).textDecorationLine,
            };
        }""",
    )


def copy_key(page: Page, key: str = "Control+Enter") -> None:
    """Press the copy key and wait until the row has answered: copied, refused, or noted."""
    page.keyboard.press(key)
    page.wait_for_function(
        """sel => { const li = document.querySelector(sel); if (!li) return true;
            const copy = li.querySelector('.hs-result__copy'), alert = li.querySelector('.hs-result__alert');
            return copy.textContent !== '复制' || !alert.hidden
                || li.querySelector('.hs-result__note').classList.contains('hs-result__note--flash'); }""",
        arg=SELECTED,
    )


def focused_placeholder(page: Page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('data-placeholder')")


def set_salutation(page: Page, value: str) -> None:
    page.locator(BOX + " .hs-search__input").focus()
    page.fill(BOX + " .hs-search__salutation input", value)
    page.keyboard.press("Enter")  # back to the box


# --- copying only the words for the customer ----------------------------------------


def test_a_phrase_copies_exactly_its_words(page: Page) -> None:
    select(page, "greeting-standard", "标准问候语")
    copy_key(page)
    assert clipboard(page) == "您好，很高兴为您服务，请问有什么可以帮您？"
    assert selected(page)["copy"] == "已复制"


def test_salutation_from_the_call_field_or_the_library_default(page: Page) -> None:
    set_salutation(page, "王先生")
    select(page, "hold-return", "等待后回到通话")
    row = selected(page)
    assert row["text"] == "王先生，对不起，让您久等了。" and row["filled"] == ["王先生"]  # live, marked
    assert row["fields"] == []  # 称呼 has the panel's own field
    copy_key(page)
    assert clipboard(page) == "王先生，对不起，让您久等了。"
    set_salutation(page, "")
    select(page, "hold-return", "等待后回到通话")
    copy_key(page)
    assert clipboard(page) == "对不起，让您久等了。"  # placeholders.yaml: 称呼 left out when not filled


def test_a_placeholder_without_value_or_default_refuses_until_filled(page: Page) -> None:
    select(page, "greeting-with-id", "报工号问候")
    row = selected(page)
    assert row["fields"] == [{"name": "工号", "placeholder": "必填", "value": "", "label": "工号"}]
    assert row["missing"] == ["{工号}"]
    copy_key(page)
    assert clipboard(page) == SENTINEL  # nothing copied
    assert selected(page)["alert"] == "⚠ 请先填写 {工号}"
    assert focused_placeholder(page) == "工号"
    page.keyboard.type("8001")
    row = selected(page)
    assert row["text"] == "您好，8001号客服代表为您服务，请问有什么可以帮您？" and row["filled"] == ["8001"]
    assert row["alert"] is None  # nothing is missing any more
    page.keyboard.press("Enter")  # Enter in the field copies
    page.wait_for_function(
        "sel => document.querySelector(sel + ' .hs-result__copy').textContent === '已复制'", arg=SELECTED
    )
    assert clipboard(page) == "您好，8001号客服代表为您服务，请问有什么可以帮您？"
    # 工号 is the agent's own: kept in this browser, not per call.
    assert page.evaluate("JSON.parse(localStorage.getItem('huashu.agent'))") == {"工号": "8001"}


def test_tab_moves_through_the_inputs_and_an_empty_one_takes_its_default(page: Page) -> None:
    select(page, "greeting-callback-opening", "外呼回访开场")
    assert selected(page)["fields"] == [{"name": "公司", "placeholder": "可不填", "value": "", "label": "公司"}]
    page.keyboard.press("Tab")
    assert focused_placeholder(page) == "公司"
    page.keyboard.press("Tab")  # past the last input: back to the box
    assert page.evaluate("document.activeElement.classList.contains('hs-search__input')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # empty: the default
    page.wait_for_timeout(100)
    assert clipboard(page).startswith("您好，请问是本人吗？我是客服中心的客服代表")
    page.keyboard.type("星光电力")
    page.keyboard.press("Escape")  # back to the box; the copy key there copies too
    assert page.evaluate("document.activeElement.classList.contains('hs-search__input')")
    copy_key(page)
    assert clipboard(page).startswith("您好，请问是本人吗？我是星光电力客服中心的客服代表")


def test_a_procedure_copies_only_the_words_of_a_step(page: Page, library: model.Library) -> None:
    procedure = library.by_id["complaint-four-steps"]
    assert isinstance(procedure, model.Procedure)
    words = library.by_id["complaint-listen"]
    assert isinstance(words, model.Phrase) and procedure.steps[0].phrase == words.id
    select(page, "complaint-four-steps", "投诉处理四步骤")
    row = selected(page)
    assert procedure.steps[0].do in row["text"]  # shown: what to do, then the words
    assert row["preview"] == "复制：" + words.text  # what copying takes, said apart
    copy_key(page)
    assert clipboard(page) == words.text
    # Only instructions: no copy control, a note, and the copy key copies nothing.
    set_clipboard(page, SENTINEL)
    select(page, "inbound-preparation", "上岗前准备")
    row = selected(page)
    assert row["copy"] is None and row["note"] == NO_WORDS and row["preview"] is None
    copy_key(page)
    assert selected(page)["flash"] and clipboard(page) == SENTINEL


def test_an_faq_copies_its_reply_never_the_answer(page: Page, library: model.Library) -> None:
    faq = library.by_id["faq-angry-customer"]
    assert isinstance(faq, model.Faq) and faq.reply
    select(page, faq.id, faq.title)
    copy_key(page)
    assert clipboard(page) == faq.reply
    without = library.by_id["kpi-satisfaction"]
    assert isinstance(without, model.Faq) and not without.reply
    set_clipboard(page, SENTINEL)
    select(page, without.id, without.title)
    row = selected(page)
    assert row["copy"] is None and row["note"] == NO_WORDS
    page.keyboard.press("Control+c")  # nothing selected in the box: the copy key too
    page.wait_for_timeout(100)
    assert selected(page)["flash"] and clipboard(page) == SENTINEL


def test_a_forbidden_phrase_is_unmistakable_and_copies_the_alternative(page: Page, library: model.Library) -> None:
    forbidden = library.by_id["forbidden-dont-know"]
    assert isinstance(forbidden, model.Phrase) and forbidden.avoid
    select(page, forbidden.id, "wobuzhidao")
    row = selected(page)
    assert row["kind"] == "✗ 忌语"  # its own badge, a symbol and a word
    assert "line-through" in row["struck"] and row["title"] == forbidden.title
    assert row["text"] == "✓ 改说：" + forbidden.instead
    copy_key(page)
    assert clipboard(page) == forbidden.instead
    # Its alternative's placeholders are asked for like any phrase's.
    set_clipboard(page, SENTINEL)
    select(page, "forbidden-not-my-job", "buguiwoguan")
    copy_key(page)
    assert clipboard(page) == SENTINEL and focused_placeholder(page) == "部门"
    page.keyboard.type("售后服务部")
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert clipboard(page) == "这个问题由售后服务部负责，我帮您联系他们，并跟进处理结果。"


def test_values_are_pasted_literally(page: Page) -> None:
    salutation = "$&先生$'$`$$"
    set_salutation(page, salutation)
    select(page, "hold-return", "等待后回到通话")
    copy_key(page)
    assert clipboard(page) == salutation + "，对不起，让您久等了。"
    select(page, "transfer-explain", "转接前说明")
    page.keyboard.press("Tab")
    page.keyboard.type("$1部$&")
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert clipboard(page) == "您的问题需要由$1部$&的同事为您处理，我现在为您转接过去，请您稍等，好吗？"


def test_new_call_clears_every_per_call_value(page: Page, site_url: str) -> None:
    set_salutation(page, "王先生")
    select(page, "transfer-explain", "转接前说明")
    page.keyboard.press("Tab")
    page.keyboard.type("售后服务部")
    select(page, "greeting-with-id", "报工号问候")
    page.keyboard.press("Tab")
    page.keyboard.type("8001")
    page.keyboard.press("Escape")
    # Per call values hold across pages of the same tab.
    page.goto(site_url + "hold/")
    ready(page)
    search(page, "转接前说明")
    assert page.input_value(BOX + " .hs-search__salutation input") == "王先生"
    assert selected(page)["fields"][0]["value"] == "售后服务部"
    page.click(BOX + " .hs-search__newcall")
    assert page.input_value(BOX + " .hs-search__salutation input") == ""
    assert page.inner_text(BOX + " .hs-search__message") == "新来电：已清空称呼和上一位客户的填写内容"
    assert selected(page)["fields"][0]["value"] == ""
    assert page.evaluate("sessionStorage.getItem('huashu.call')") is None
    set_clipboard(page, SENTINEL)
    copy_key(page)
    assert clipboard(page) == SENTINEL  # {部门} has to be asked again
    select(page, "hold-return", "等待后回到通话")
    copy_key(page)
    assert clipboard(page) == "对不起，让您久等了。"
    select(page, "greeting-with-id", "报工号问候")
    copy_key(page)
    assert clipboard(page) == "您好，8001号客服代表为您服务，请问有什么可以帮您？"  # the agent's own stays
    # Alt+N from anywhere: cleared, and the 称呼 field ready for the next caller.
    set_salutation(page, "李女士")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")  # the panel closed, the focus on the page
    assert page.is_hidden(BOX + " .hs-search__panel")
    page.keyboard.press("Alt+n")
    assert page.input_value(BOX + " .hs-search__salutation input") == ""
    assert page.evaluate("document.activeElement.closest('.hs-search__salutation') !== null")
    assert page.evaluate("huashu.callValues()") == {"工号": "8001"}


def test_page_copy_buttons_fill_from_the_same_values_and_refuse_without_one(page: Page, site_url: str) -> None:
    page.goto(site_url + "hold/")
    ready(page)
    button = page.locator('[data-entry="hold-return"] > .hs-say button.hs-copy')
    button.click()
    page.wait_for_timeout(100)
    assert clipboard(page) == "对不起，让您久等了。"
    set_salutation(page, "$&先生")
    page.keyboard.press("Escape")
    button.click()
    page.wait_for_timeout(100)
    assert clipboard(page) == "$&先生，对不起，让您久等了。"
    page.goto(site_url + "greetings/")
    set_clipboard(page, SENTINEL)
    button = page.locator('[data-entry="greeting-with-id"] > .hs-say button.hs-copy')
    button.click()
    page.wait_for_timeout(100)
    assert clipboard(page) == SENTINEL
    assert button.inner_text() == "请先填写 {工号}"
    assert page.evaluate("document.activeElement.closest('.hs-fill') !== null")
    assert focused_placeholder(page) == "工号"
    page.keyboard.type("8001")
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert clipboard(page) == "您好，8001号客服代表为您服务，请问有什么可以帮您？"
    assert button.inner_text() == "已复制"
    assert page.locator(".hs-fill").count() == 0


# --- nowhere: forbidden wording, or a raw placeholder ------------------------------------


# Clicks each copy button of the page in turn (the page's own click handler), each time
# after putting SENTINEL on the clipboard; what each button said and what it copied.
CLICK_EVERY_COPY_BUTTON = """async sentinel => {
    const out = [];
    for (const button of document.querySelectorAll('button.hs-copy')) {
        await navigator.clipboard.writeText(sentinel);
        button.click();
        for (let i = 0; i < 200 && button.textContent === '复制'; i++) await new Promise(r => setTimeout(r, 5));
        out.push({text: button.dataset.copyText, label: button.textContent, copied: await navigator.clipboard.readText()});
    }
    return out;
}"""


# Types each query into the header box and presses Ctrl+Enter on the first result (the
# box's own key handler), each time after putting SENTINEL on the clipboard; what was copied.
COPY_KEY_ON_EACH = """async ([queries, sentinel]) => {
    const input = document.querySelector('.hs-search:not(.hs-search--page) .hs-search__input');
    const out = [];
    for (const query of queries) {
        await navigator.clipboard.writeText(sentinel);
        input.focus();
        input.value = query;
        input.dispatchEvent(new Event('input', {bubbles: true}));
        input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true}));
        const row = document.querySelector('.hs-search:not(.hs-search--page) .hs-result[aria-selected="true"]');
        const answered = () => row.querySelector('.hs-result__copy').textContent !== '复制'
            || !row.querySelector('.hs-result__alert').hidden
            || row.querySelector('.hs-result__note').classList.contains('hs-result__note--flash');
        for (let i = 0; i < 200 && !answered(); i++) await new Promise(r => setTimeout(r, 5));
        out.push(await navigator.clipboard.readText());
    }
    return out;
}"""


def pages_with_copy_buttons(site: Path) -> list[str]:
    return sorted(
        str(path.relative_to(site).parent) + "/"
        for path in site.rglob("index.html")
        if 'class="hs-copy"' in path.read_text(encoding="utf-8")
    )


def test_no_copy_anywhere_carries_forbidden_wording_or_a_raw_placeholder(
    browser: Browser, site_url: str, bundled_site: Path, library: model.Library
) -> None:
    forbidden = [e.text for e in library.entries if model.is_forbidden(e)]
    assert len(forbidden) > 10

    def clean(text: str) -> bool:
        return "{" not in text and not any(words in text for words in forbidden)

    page = ready(open_page(browser, site_url + "greetings/", clipboard=True))
    # Every copy button of every page, clicked.
    paths = pages_with_copy_buttons(bundled_site)
    assert {c.id + "/" for c in library.categories if library.entries_in(c.id)} <= set(paths)
    problems = []
    for path in paths:
        page.goto(site_url + path)
        for button in page.evaluate(CLICK_EVERY_COPY_BUTTON, SENTINEL):
            if any(words in button["text"] for words in forbidden):
                problems.append((path, "data-copy-text", button["text"]))
            if button["label"] == "已复制":
                if not clean(button["copied"]) or button["copied"] == SENTINEL:
                    problems.append((path, "copied", button["copied"]))
            elif not (button["label"].startswith("请先填写 {") and button["copied"] == SENTINEL):
                problems.append((path, button["label"], button["copied"]))
    # Every result of a search for each entry's and category's title, and the copy key on the first.
    page.goto(site_url + "greetings/")
    ready(page)
    titles = [e.title for e in library.entries] + [c.title for c in library.categories]
    found = page.evaluate(
        """qs => qs.map(q => huashu.searchNow(q, {limit: 50}).map(r => ({id: r.id, copy: r.copy,
            filled: huashu.fillPlaceholders(r.copy, {})})))""",
        titles,
    )
    seen: set[str] = set()
    for title, results in zip(titles, found, strict=True):
        for r in results:
            seen.add(r["id"])
            if any(words in r["copy"] for words in forbidden):
                problems.append((title, r["id"], r["copy"]))
            if not r["filled"]["missing"] and not clean(r["filled"]["text"]):
                problems.append((title, r["id"], r["filled"]["text"]))
    for title, results, copied in zip(titles, found, page.evaluate(COPY_KEY_ON_EACH, [titles, SENTINEL]), strict=True):
        if copied != SENTINEL and (not clean(copied) or copied != results[0]["filled"]["text"]):
            problems.append((title, "copy key", copied))
    assert seen >= {e.id for e in library.entries}  # the queries cover every entry
    assert problems == []
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


# --- beside the soft-phone -------------------------------------------------------------

MEASURE_PANEL = """() => {
    const list = document.querySelector('.hs-search:not(.hs-search--page) .hs-search__results');
    const box = list.getBoundingClientRect();
    const rows = Array.from(list.querySelectorAll('.hs-result:not([hidden])'));
    return {
        rows: rows.map(li => {
            const title = li.querySelector('.hs-result__title'), style = getComputedStyle(title);
            const line = style.lineHeight === 'normal' ? 1.5 * parseFloat(style.fontSize) : parseFloat(style.lineHeight);
            const r = li.getBoundingClientRect();
            return {
                id: li.dataset.id, titleHeight: title.offsetHeight, line: line,
                visible: r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.bottom <= innerHeight,
            };
        }),
        panel: (r => [r.left, r.right])(list.closest('.hs-search__panel').getBoundingClientRect()),
        input: (r => [r.left, r.right, r.height])(document.querySelector('.hs-search:not(.hs-search--page) .hs-search__input').getBoundingClientRect()),
        scrollWidth: document.documentElement.scrollWidth,
        listOverflow: list.scrollWidth - list.clientWidth,
    };
}"""


@pytest.mark.parametrize("width", [360, 400, 1366])
def test_the_panel_beside_a_soft_phone(browser: Browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + "greetings/")
    ready(page)
    search(page, "tousu")
    shown = page.evaluate(MEASURE_PANEL)
    assert len(shown["rows"]) >= 6
    tall = [r["id"] for r in shown["rows"] if r["titleHeight"] > r["line"] + 2]
    assert tall == []  # every title on one line
    left, right = shown["panel"]
    assert left >= 0 and right <= width and shown["listOverflow"] <= 0 and shown["scrollWidth"] <= width
    assert shown["input"][0] >= 0 and shown["input"][1] <= width
    if width <= 420:
        assert sum(r["visible"] for r in shown["rows"]) >= 6
        assert right - left == width  # the whole width under the header
    # A long title ends in an ellipsis rather than a second line; the inputs of a selected
    # phrase fit in its row.
    search(page, "客户为同一问题反复来电怎么办")
    assert page.evaluate(MEASURE_PANEL)["rows"][0]["titleHeight"] <= shown["rows"][0]["line"] + 2
    select(page, "transfer-explain", "zhuanjieqianshuoming")  # ten results
    field = page.locator(SELECTED + " .hs-result__fields input").bounding_box()
    assert field is not None and field["x"] >= 0 and field["x"] + field["width"] <= width
    if width <= 420:
        assert sum(r["visible"] for r in page.evaluate(MEASURE_PANEL)["rows"]) >= 6
    context.close()


@pytest.mark.parametrize("width", [360, 400])
def test_search_and_entry_pages_beside_a_soft_phone(
    browser: Browser, site_url: str, bundled_site: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + "search/?q=tousu")
    page.wait_for_selector(".hs-search--page .hs-result:not([hidden])")
    box = page.evaluate(
        """() => { const input = document.querySelector('.hs-search--page .hs-search__input');
            const content = document.querySelector('.md-content__inner');
            const cs = getComputedStyle(content);
            return {input: input.getBoundingClientRect().width,
                    content: content.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
                    scrollWidth: document.documentElement.scrollWidth}; }"""
    )
    assert box["input"] >= box["content"] - 1 and box["scrollWidth"] <= width
    cramped = []
    for path in pages_with_copy_buttons(bundled_site):
        page.goto(site_url + path)
        layout = page.evaluate(
            """() => ({
                scrollWidth: document.documentElement.scrollWidth,
                narrow: Array.from(document.querySelectorAll('.hs-say')).filter(say =>
                    say.querySelector('.hs-text').getBoundingClientRect().width < 0.5 * say.getBoundingClientRect().width
                ).map(say => say.querySelector('.hs-text').textContent),
            })"""
        )
        if layout["scrollWidth"] > width or layout["narrow"]:
            cramped.append((path, layout))
    assert cramped == []
    context.close()


# --- a body index that cannot load ---------------------------------------------------------


def test_a_missing_body_shard_is_said_and_title_search_still_works(
    browser: Browser, bundled_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(bundled_site, site)
    kept = tmp_path / "kept"
    kept.mkdir()
    shards = sorted((site / "search" / "data").glob("body-*.js"))
    assert shards
    for shard in shards:
        shard.rename(kept / shard.name)
    with serve(site) as url:
        page = open_page(browser, url + "greetings/")
        page.wait_for_selector("html[data-hs-search-ready]")
        search(page, "tousu")
        page.wait_for_selector(BOX + " .hs-search__bodyerror:not([hidden])", timeout=5000)
        assert page.inner_text(BOX + " .hs-search__bodyerror-text") == BODY_ERROR
        assert page.is_visible(BOX + " .hs-search__retry")
        assert page.evaluate("huashu.complete.then(api => api.bodyError)") == BODY_ERROR  # resolved, not hanging
        assert page.inner_text(BOX + " .hs-search__status") == ""  # no "loading" forever
        titles = page.eval_on_selector_all(
            BOX + " .hs-result:not([hidden]) .hs-result__title", "t => t.map(x => x.textContent)"
        )
        assert titles and "投诉" in titles[0]
        row = selected(page)
        assert row["copy"] is None and row["note"] == "全文未载入，不能在这里复制：请打开条目页复制"
        # The shards are back: 重试 loads them, and copying works again.
        for shard in shards:
            (kept / shard.name).rename(shard)
        page.click(BOX + " .hs-search__retry")
        page.wait_for_function("() => huashu.isComplete()", timeout=5000)
        assert page.is_hidden(BOX + " .hs-search__bodyerror")
        assert page.evaluate("'bodyError' in huashu") is False
        assert selected(page)["copy"] == "复制"
        assert page.js_errors == []  # type: ignore[attr-defined]
        page.context.close()


def test_a_body_shard_that_never_arrives_stops_the_wait(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.huashu = {bodyTimeoutMs: 1500};")
    page.route(re.compile(r".*/search/data/body-.*"), lambda route: None)  # never answered
    page.goto(site_url + "greetings/")
    page.wait_for_selector("html[data-hs-search-ready]")
    search(page, "tousu")
    page.wait_for_selector(BOX + " .hs-search__bodyerror:not([hidden])", timeout=5000)
    assert page.evaluate("huashu.bodyError") == BODY_ERROR
    assert row_ids(page)  # titles are still searched
    context.close()
