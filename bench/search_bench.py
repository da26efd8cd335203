"""Search benchmark: huashu beside Material's built-in search and Pagefind, in one run.

For each library size it builds the same pages three ways (huashu; stock
Material search via HUASHU_STOCK_SEARCH=true; Pagefind over the stock HTML),
serves each on localhost and measures them in headless Chromium (Debian's
/usr/bin/chromium), each page view in a fresh context, i.e. an empty cache:

- ready: ms from navigation start until the search can answer
- first query: ms from typing the first public query until its results show
- bytes until first results: gzip size of everything the page had loaded then
- per-keystroke latency: each public query typed one character at a time
- quality: public queries (../shared/eval/queries.yaml) passing their rule

Then, on one warm page per engine, each engine in its own stock search UI (huashu's
search box, Material's search dialog, Pagefind's Default UI added to the same stock
pages), the same query sets side by side:

- quality: hit@1, hit@5, MRR and empty results for tests/data/situations.yaml
  (expected entry ids) and tests/data/queries.yaml (expected strings), per kind,
  read from what each UI shows (see RANKING below)
- typing latency: every query of both sets and two long pinyin sentences typed one
  character at a time; per keystroke from the input event until the results are in
  the DOM and laid out (style and layout forced, paint not included): p50, p95, max
- the same typing with the page's CPU slowed 4x (CDP Emulation.setCPUThrottlingRate;
  it slows the page's main thread only, not web workers: see the note in RESULTS.md)
- 200-character queries: one search call (huashu.searchNow, Pagefind's search() and
  data() of the top 10; Material has no search call of its own) and the same query
  pasted into each search box

    python bench/search_bench.py                  # 200 and 10,000 entries; rewrites bench/RESULTS.md's
                                                  # search section (between its markers), keeps the rest
    python bench/search_bench.py --sizes 10000 --runs 3 --no-write
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import time
import urllib.parse
from itertools import cycle
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from browser import chromium, serve  # noqa: E402
from eval_queries import QUERIES_FILE, SITUATIONS_FILE, load_queries, passes  # noqa: E402
from generate import generate  # noqa: E402

QUERIES = load_queries()
PARTS = ("mkdocs.yml", "hooks", "overrides", "docs")


# --- building -----------------------------------------------------------------------


def build_sites(library: Path, work: Path) -> dict[str, float]:
    """Build huashu and stock Material sites of `library`, then Pagefind's index; seconds each."""
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for part in PARTS:
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    (project / "scripts_library").symlink_to(library)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    times = {}
    for name, extra in (("huashu", {}), ("material", {"HUASHU_STOCK_SEARCH": "true"})):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(work / name)],
            cwd=project,
            env={**env, **extra},
            check=True,
        )
        times[name] = time.perf_counter() - start
    shutil.copytree(work / "material", work / "pagefind", dirs_exist_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(work / "pagefind"), "--force-language", "zh"],
        check=True,
        capture_output=True,
    )
    times["pagefind"] = time.perf_counter() - start
    return times


def gzip_size(site: Path, url: str, base: str) -> int:
    path = url[len(base) :].split("?")[0].split("#")[0]
    file = site / path
    if file.is_dir() or path.endswith("/") or not path:
        file = file / "index.html"
    if not file.exists():
        return 0
    data = file.read_bytes()
    # Pagefind's index files are gzip already; a server sends them as they are.
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


def loaded_bytes(page, site: Path, base: str, until: float | None = None) -> int:
    """Gzip bytes of the page and every resource it had received by `until` (ms), or by now."""
    urls = page.evaluate(
        "(until) => [location.href, ...performance.getEntriesByType('resource')"
        ".filter(e => until === null || e.responseEnd <= until).map(e => e.name)]",
        until,
    )
    return sum(gzip_size(site, url, base) for url in dict.fromkeys(urls) if url.startswith(base))


# --- per-engine drivers: each knows how to wait for readiness and read results -------

HUASHU_TYPE = """async (q) => {
  const input = document.querySelector('.hs-search:not(.hs-search--page) .hs-search__input');
  input.focus();
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const t1 = performance.now();
  const results = Array.from(document.querySelectorAll('.hs-search:not(.hs-search--page) .hs-result:not([hidden])')).map(li => ({
    title: li.querySelector('.hs-result__title').textContent,
    text: (li.querySelector('.hs-result__text') || {textContent: ''}).textContent}));
  return {ms: t1 - t0, at: t1, results};
}"""

MATERIAL_TYPE = """async (q) => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  input.focus();
  const changed = new Promise(resolve => {
    const seen = new MutationObserver(() => { seen.disconnect(); resolve(); });
    seen.observe(list, {childList: true, subtree: true});
    seen.observe(meta, {childList: true, characterData: true, subtree: true});
    setTimeout(() => { seen.disconnect(); resolve(); }, 3000);
  });
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: q.slice(-1)}));
  await changed;
  const t1 = performance.now();
  const results = Array.from(document.querySelectorAll('.md-search-result__item article')).map(a => ({
    title: (a.querySelector('h1, h2') || {textContent: ''}).textContent,
    text: Array.from(a.querySelectorAll('p')).map(p => p.textContent).join(' ')}));
  return {ms: t1 - t0, at: t1, results};
}"""

PAGEFIND_TYPE = """async (q) => {
  const pf = window.__pf;
  if (!q) return {ms: 0, at: performance.now(), results: []};
  const t0 = performance.now();
  const found = await pf.search(q);
  const pages = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  const t1 = performance.now();
  const results = [];
  for (const page of pages) for (const sub of (page.sub_results || [page]))
    results.push({title: sub.title, text: (sub.excerpt || '').replace(/<[^>]+>/g, '')});
  return {ms: t1 - t0, at: t1, results};
}"""


def load_event(page) -> float:
    page.wait_for_load_state("load")
    return page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")


# In-page: wait until the engine can answer, then type the first query at once,
# as an agent who starts typing the moment search is ready. Returns
# {ready, ms, at, results}: ready and at are ms since navigation start.
READY_THEN_TYPE = {
    "huashu": """async (q) => {
        if (!(window.huashu && window.huashu.ready))
          await new Promise(r => document.addEventListener('huashu:engine', r, {once: true}));
        await window.huashu.ready;
        if (!document.documentElement.hasAttribute('data-hs-search-ready'))
          await new Promise(r => { const t = setInterval(() => {
            if (document.documentElement.hasAttribute('data-hs-search-ready')) { clearInterval(t); r(); } }, 1); });
        const ready = window.huashu.timings.ready;
        return {ready, ...(await (%s)(q))};
    }"""
    % HUASHU_TYPE,
    "material": """async (q) => {
        await new Promise(r => { const t = setInterval(() => {
          const m = document.querySelector('.md-search-result__meta');
          if (m && m.textContent && !/初始化|Initializing/.test(m.textContent)) { clearInterval(t); r(); } }, 5); });
        const ready = performance.now();
        return {ready, ...(await (%s)(q))};
    }"""
    % MATERIAL_TYPE,
    "pagefind": """async (q) => {
        if (document.readyState === 'loading') await new Promise(r => document.addEventListener('DOMContentLoaded', r));
        const pf = await import('./pagefind/pagefind.js'); await pf.init(); window.__pf = pf;
        const ready = performance.now();
        return {ready, ...(await (%s)(q))};
    }"""
    % PAGEFIND_TYPE,
}


def wait_ready(engine: str, page) -> None:
    """For the warm page: wait until the engine can answer."""
    page.evaluate(READY_THEN_TYPE[engine], "")


def wait_complete(engine: str, page) -> None:
    if engine == "huashu":
        # A function, not an expression string: the pages' security policy forbids eval.
        page.wait_for_function("() => { window.huashu.loadBodies(); return window.huashu.isComplete(); }")


TYPE = {"huashu": HUASHU_TYPE, "material": MATERIAL_TYPE, "pagefind": PAGEFIND_TYPE}


def measure_engine(engine: str, browser, site: Path, runs: int) -> dict:
    with serve(site) as base:
        ready, after_load, first, first_bytes = [], [], [], []
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "index.html", wait_until="commit")
            outcome = page.evaluate(READY_THEN_TYPE[engine], QUERIES[0]["q"])
            ready.append(outcome["ready"])
            first.append(outcome["ms"])
            first_bytes.append(loaded_bytes(page, site, base, outcome["at"]))
            after_load.append(outcome["ready"] - load_event(page))
            context.close()
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "index.html")
        wait_ready(engine, page)
        wait_complete(engine, page)
        if engine == "huashu":
            page.evaluate(HUASHU_TYPE, "")
        keystrokes, api_keystrokes, passed = [], [], 0
        for query in QUERIES:
            for end in range(1, len(query["q"]) + 1):
                outcome = page.evaluate(TYPE[engine], query["q"][:end])
                keystrokes.append(outcome["ms"])
                if engine == "huashu":
                    api_keystrokes.append(
                        page.evaluate(
                            "q => { const t = performance.now(); window.huashu.searchNow(q, {limit: 10});"
                            " return performance.now() - t; }",
                            query["q"][:end],
                        )
                    )
            passed += passes(query, outcome["results"])
        api_passed = None
        if engine == "huashu":
            api_results = page.evaluate(
                "async qs => { const out = []; for (const q of qs) out.push(await window.huashu.search(q, {limit: 5}));"
                " return out; }",
                [q["q"] for q in QUERIES],
            )
            api_passed = sum(passes(q, r) for q, r in zip(QUERIES, api_results, strict=True))
        total_bytes = loaded_bytes(page, site, base)
        context.close()
    keystrokes.sort()
    api_keystrokes.sort()
    return {
        "api_median": statistics.median(api_keystrokes) if api_keystrokes else None,
        "api_p95": api_keystrokes[int(0.95 * (len(api_keystrokes) - 1))] if api_keystrokes else None,
        "ready": statistics.median(ready),
        "after_load": statistics.median(after_load),
        "first": statistics.median(first),
        "first_bytes": statistics.median(first_bytes),
        "all_bytes": total_bytes,
        "median": statistics.median(keystrokes),
        "p95": keystrokes[int(0.95 * (len(keystrokes) - 1))],
        "passed": passed,
        "api_passed": api_passed,
        "keystrokes": len(keystrokes),
    }


# --- one warm page per engine, its own UI: quality, typing latency, throttled, long queries ---

SETS = {"lookups": load_queries(QUERIES_FILE), "situations": load_queries(SITUATIONS_FILE)}
LONG_PINYIN = ["kehuqingxujidongzenmeban", "woyaotousunimendefuwutaichale"]
THROTTLE = 4
TIMEOUT_MS = 10000  # a keystroke the UI has not answered by then counts as "no answer"
# A peer whose typing took longer than this in all is not typed again with the CPU
# slowed: the run would take too long, and its search runs in a web worker, which
# the throttle does not slow (Pagefind at 10,000 entries: about 4 minutes).
THROTTLED_BUDGET_MS = 120_000


def _exactly(text: str, length: int = 200) -> str:
    return "".join(c for c, _ in zip(cycle(text), range(length), strict=False))


def long_queries() -> dict[str, str]:
    """Four 200-character queries, the same every run."""
    words = (
        "ke hu hen ji dong zenme ban wo yao tou su ni men de fu wu tai cha le rang ni men ling dao lai jie dian hua "
        "wo yao pei chang sun shi qing deng yi xia wo ma shang gei nin cha xun gong dan zhuan pai huan"
    )
    rng = random.Random(20261122)
    garbage = string.ascii_letters + string.digits + string.punctuation + " ，。！？、；：“”‘’（）【】《》…—～·¥￥※★"
    return {
        "mixed pinyin + hanzi": _exactly("客户qingxu激动zenmeban我要tousu你们的fuwu太差了lingdao来接电话"),
        "hanzi": _exactly("客户情绪激动说你们服务态度太差了我要投诉还要求赔偿损失让你们领导来接电话"),
        "garbage with symbols": "".join(rng.choice(garbage) for _ in range(200)),
        "50 space-separated pinyin words": words,
    }


LONG = long_queries()
assert all(len(q) == 200 for q in LONG.values()), {k: len(q) for k, q in LONG.items()}
assert len(LONG["50 space-separated pinyin words"].split()) == 50

# Between keystrokes: let the page render a frame (outside the measurement), as it
# does between the keys a person types.
NEXT_FRAME = "await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));"

# One keystroke: the box holds `q` (the query so far); ms from the input event until
# the UI has put this query's results in the DOM and the browser has laid them out.
KEY = {
    "huashu": """async (q) => {
  const root = document.querySelector('.hs-search:not(.hs-search--page)');
  const input = root.querySelector('.hs-search__input');
  if (document.activeElement !== input) input.focus();
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const t1 = performance.now();
  root.getBoundingClientRect();
  const t2 = performance.now();
  %s
  return {ms: t2 - t0, handler: t1 - t0, timeout: false};
}"""
    % NEXT_FRAME,
    # Material answers from its web worker: done at the first change of the result list.
    "material": """async (q) => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  if (document.activeElement !== input) input.focus();
  let timeout = false;
  const changed = new Promise(resolve => {
    const seen = new MutationObserver(() => { seen.disconnect(); resolve(); });
    seen.observe(list, {childList: true, subtree: true});
    seen.observe(meta, {childList: true, characterData: true, subtree: true});
    setTimeout(() => { seen.disconnect(); timeout = true; resolve(); }, %d);
  });
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: q.slice(-1)}));
  await changed;
  list.getBoundingClientRect();
  const t1 = performance.now();
  %s
  return {ms: t1 - t0, timeout};
}"""
    % (TIMEOUT_MS, NEXT_FRAME),
    # Pagefind's Default UI (set up by PAGEFIND_UI): done when its message names this
    # query and none of the shown results is still a loading placeholder.
    "pagefind": """async (q) => {
  const box = document.querySelector('#hs-bench-pagefind');
  const input = box.querySelector('input');
  if (document.activeElement !== input) input.focus();
  const want = [q, q.trim()].map(t => '«' + t + '»');
  const done = () => {
    const m = box.querySelector('.pagefind-ui__message');
    const text = m ? m.textContent : '';
    return text.startsWith('DONE') && want.some(w => text.endsWith(w)) && !box.querySelector('.pagefind-ui__loading');
  };
  let timeout = false;
  const t0 = performance.now();
  const shown = new Promise(resolve => {
    const finish = () => { seen.disconnect(); clearInterval(poll); clearTimeout(limit); resolve(); };
    const seen = new MutationObserver(() => { if (done()) finish(); });
    seen.observe(box, {childList: true, subtree: true, characterData: true, attributes: true});
    const poll = setInterval(() => { if (done()) finish(); }, 20);
    const limit = setTimeout(() => { timeout = true; finish(); }, %d);
  });
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await shown;
  box.getBoundingClientRect();
  const t1 = performance.now();
  %s
  return {ms: t1 - t0, timeout};
}"""
    % (TIMEOUT_MS, NEXT_FRAME),
}

# Pagefind's own Default UI on the stock pages (the pages have none): results with their
# sections (showSubResults), no debounce, messages we can recognise.
PAGEFIND_UI = """async () => {
  if (document.readyState === 'loading') await new Promise(r => document.addEventListener('DOMContentLoaded', r));
  const css = document.createElement('link');
  css.rel = 'stylesheet'; css.href = 'pagefind/pagefind-ui.css';
  document.head.appendChild(css);
  await new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = 'pagefind/pagefind-ui.js'; s.onload = resolve; s.onerror = reject;
    document.head.appendChild(s);
  });
  const box = document.createElement('div');
  box.id = 'hs-bench-pagefind';
  document.body.prepend(box);
  new PagefindUI({element: '#hs-bench-pagefind', showSubResults: true, showImages: false, debounceTimeoutMs: 0,
    translations: {searching: 'SEARCHING «[SEARCH_TERM]»', zero_results: 'DONE 0 «[SEARCH_TERM]»',
                   one_result: 'DONE [COUNT] «[SEARCH_TERM]»', many_results: 'DONE [COUNT] «[SEARCH_TERM]»'}});
  window.__pf = await import('./pagefind/pagefind.js');
}"""

# What each UI shows, in order: {href, title, text, shown}; shown is false for what
# needs a click to see (Material's "more results on this page", folded).
READ = {
    "huashu": """() => Array.from(document.querySelectorAll(
    '.hs-search:not(.hs-search--page) .hs-result:not([hidden])')).map(li => ({
  id: li.getAttribute('data-id'), href: '', shown: true,
  title: li.querySelector('.hs-result__title').textContent,
  text: (li.querySelector('.hs-result__text') || {textContent: ''}).textContent}))""",
    "material": """() => Array.from(document.querySelectorAll('.md-search-result__list a.md-search-result__link')).map(a => ({
  id: null, href: a.href, shown: !a.closest('details'),
  title: (a.querySelector('h1, h2') || {textContent: ''}).textContent,
  text: Array.from(a.querySelectorAll('p')).map(p => p.textContent).join(' ')}))""",
    "pagefind": """() => Array.from(document.querySelectorAll('#hs-bench-pagefind .pagefind-ui__result-link')).map(a => {
  const nested = a.closest('.pagefind-ui__result-nested');
  const excerpt = nested ? nested.querySelector('.pagefind-ui__result-excerpt')
    : a.closest('.pagefind-ui__result-inner').querySelector(':scope > .pagefind-ui__result-excerpt');
  return {id: null, href: a.href, shown: true, title: a.textContent, text: excerpt ? excerpt.textContent : ''};
})""",
}

# One search call, where the engine has one: ms per call, `reps` calls.
CALL = {
    "huashu": """([q, reps]) => { const out = []; for (let i = 0; i < reps; i++) {
  const t = performance.now(); window.huashu.searchNow(q, {limit: 10}); out.push(performance.now() - t); }
  return out; }""",
    "pagefind": """async ([q, reps]) => { const out = []; for (let i = 0; i < reps; i++) {
  const t = performance.now(); const found = await window.__pf.search(q);
  await Promise.all(found.results.slice(0, 10).map(r => r.data())); out.push(performance.now() - t); }
  return out; }""",
}


def result_id(item: dict, entry_ids: set[str]) -> str:
    """The entry a result links to; a link to a page itself (or to a heading of it that
    is no entry) stands for the page: a category id on category pages."""
    if item["id"] is not None:
        return item["id"]
    parts = urllib.parse.urlsplit(item["href"])
    fragment = urllib.parse.unquote(parts.fragment)
    if fragment in entry_ids:
        return fragment
    return urllib.parse.unquote(parts.path).strip("/").split("/")[0]


def page_of(item: dict) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(item["href"]).path).strip("/").split("/")[0]


def ranked(items: list[dict], entry_ids: set[str], generous: bool = False) -> list[dict]:
    """The results as a list of distinct ids, in the order shown (a page and its first
    heading are one result). `generous`, the best reading for page-level engines:
    results folded away count too, and a page's own link takes no place of its own
    when the list shows entries of that page."""
    if generous:
        with_entries = {page_of(i) for i in items if i["id"] is None and result_id(i, entry_ids) in entry_ids}
        items = [
            i
            for i in items
            if i["id"] is not None or result_id(i, entry_ids) in entry_ids or page_of(i) not in with_entries
        ]
    else:
        items = [i for i in items if i["shown"]]
    out: dict[str, dict] = {}
    for item in items:
        key = result_id(item, entry_ids)
        if key in out:
            out[key]["text"] += " " + item["text"]
        else:
            out[key] = {"id": key, "title": item["title"], "text": item["text"]}
    return list(out.values())


def rank_of(query: dict, results: list[dict]) -> int | None:
    """1-based rank of the first of the top five results that satisfies the query."""
    for rank, result in enumerate(results[:5], start=1):
        if "expect_ids" in query and result["id"] in query["expect_ids"]:
            return rank
        if "expect" in query and any(e in result["title"] or e in result["text"] for e in query["expect"]):
            return rank
    return None


def score(outcomes: list[tuple[str, dict, list[dict]]]) -> dict[str, dict]:
    """hit@1, hit@5, MRR (over the top five) and empty results per set and per set/kind."""
    table: dict[str, dict] = {}
    for name, query, results in outcomes:
        rank = rank_of(query, results)
        for label in (name, f"{name}/{query.get('kind', 'lookup')}"):
            row = table.setdefault(label, {"n": 0, "hit1": 0, "hit5": 0, "rr": 0.0, "empty": 0, "misses": []})
            row["n"] += 1
            row["hit1"] += rank == 1
            row["hit5"] += rank is not None
            row["rr"] += 1 / rank if rank else 0.0
            row["empty"] += not results
            if rank is None and label == name:
                row["misses"].append((query["q"], [r["id"] for r in results[:5]]))
    return table


def key(engine: str, page, text: str) -> dict:
    """One keystroke (the box set to `text`), measured."""
    outcome = page.evaluate(KEY[engine], text)
    if engine != "huashu" and outcome["timeout"]:
        # The box still changes: wait until the UI has settled before the next keystroke.
        page.wait_for_timeout(1000)
    return outcome


def type_all(engine: str, page, read: bool) -> tuple[list[dict], list]:
    """Every query of both sets and the long pinyin sentences typed one character at a
    time. Keystrokes [{set, q, typed, ms, timeout}], and when `read` what the UI showed
    for each whole query: (set, query, items)."""
    keystrokes, shown = [], []
    current = ""
    work = [(name, q) for name, queries in SETS.items() for q in queries]
    work += [("long pinyin", {"q": q}) for q in LONG_PINYIN]
    for name, query in work:
        text = query["q"]
        if text[:1] == current:  # the first keystroke must change the box
            key(engine, page, "zzz")
        for end in range(1, len(text) + 1):
            outcome = key(engine, page, text[:end])
            keystrokes.append({"set": name, "q": text, "typed": text[:end], **outcome})
        current = text
        if read and name in SETS:
            shown.append((name, query, page.evaluate(READ[engine])))
    return keystrokes, shown


def measure_live(engine: str, browser, site: Path, entry_ids: set[str], reps: int = 3) -> dict:
    with serve(site) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "index.html")
        wait_ready(engine, page)
        wait_complete(engine, page)
        if engine == "pagefind":
            page.evaluate(PAGEFIND_UI)
        key(engine, page, "zzz")  # the UI opened and warmed up once, not measured
        keystrokes, shown = type_all(engine, page, read=True)
        throttled = []
        if engine == "huashu" or sum(k["ms"] for k in keystrokes) < THROTTLED_BUDGET_MS:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
            throttled, _ = type_all(engine, page, read=False)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        long = {}
        for label, text in LONG.items():
            call = page.evaluate(CALL[engine], [text, reps]) if engine in CALL else None
            pasted, timeouts = [], 0
            for rep in range(reps):
                key(engine, page, f"zz{rep}")
                outcome = key(engine, page, text)
                pasted.append(outcome["ms"])
                timeouts += outcome["timeout"]
            long[label] = {"call": call, "pasted": pasted, "timeouts": timeouts}
        context.close()
    visible = [(name, query, ranked(items, entry_ids)) for name, query, items in shown]
    generous = [(name, query, ranked(items, entry_ids, generous=True)) for name, query, items in shown]
    return {
        "quality": score(visible),
        "quality_generous": score(generous),
        "keystrokes": keystrokes,
        "throttled": throttled,
        "long": long,
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(keystrokes: list[dict]) -> str:
    values = [k["ms"] for k in keystrokes]
    if not values:
        return f"not run (typing took over {THROTTLED_BUDGET_MS // 60000} min unthrottled)"
    cell = f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f} / {max(values):.1f}"
    timeouts = sum(k["timeout"] for k in keystrokes)
    return cell + (f" ({timeouts} no answer in {TIMEOUT_MS // 1000} s)" if timeouts else "")


def quality_cell(row: dict) -> str:
    n = row["n"]
    return f"{row['hit1'] / n:.0%} / {row['hit5'] / n:.0%} / {row['rr'] / n:.2f} / {row['empty'] / n:.0%}"


def live_report(entries: int, figures: dict[str, dict]) -> str:
    engines = ("huashu", "material", "pagefind")
    lines = [
        f"### Quality in each search UI ({entries} entries)",
        "",
        "Each cell: hit@1 / hit@5 / MRR (top five) / empty results.",
        "",
        "| queries | n | huashu | Material | Pagefind |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in figures["huashu"]["quality"]:
        n = figures["huashu"]["quality"][label]["n"]
        cells = [quality_cell(figures[e]["quality"][label]) for e in engines]
        name = f"**{label}**" if "/" not in label else label
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    for label in SETS:
        n = figures["huashu"]["quality"][label]["n"]
        cells = [quality_cell(figures[e]["quality_generous"][label]) for e in engines]
        lines.append(f"| {label}, generous reading (see below) | {n} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"### Typing latency in each search UI ({entries} entries)",
        "",
        "Each cell: p50 / p95 / max ms per keystroke, from the input event until the results are in the DOM"
        " and laid out.",
        "",
        "| keystrokes | n | huashu | Material | Pagefind |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for run, label in (("keystrokes", ""), ("throttled", f", CPU slowed {THROTTLE}×")):
        groups = [("all", None), *((name, name) for name in (*SETS, "long pinyin"))]
        for group, name in groups:
            n = sum(1 for k in figures["huashu"][run] if name in (None, k["set"]))
            cells = [spread([k for k in figures[e][run] if name in (None, k["set"])]) for e in engines]
            text = f"**{group}{label}**" if name is None else f"{group}{label}"
            lines.append(f"| {text} | {n} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"### 200-character queries ({entries} entries)",
        "",
        "Each cell: median (max) ms of 3. Search call: `huashu.searchNow(q, {limit: 10})`; Pagefind `search(q)`"
        " and `data()` of the top 10; Material has no search call of its own. Pasted: the whole query put in the"
        " search box at once, until its results are shown and laid out.",
        "",
        "| query | huashu | Material | Pagefind |",
        "| --- | ---: | ---: | ---: |",
    ]
    for what in ("call", "pasted"):
        for label in LONG:
            cells = []
            for engine in engines:
                figure = figures[engine]["long"][label]
                values = figure[what]
                if not values:
                    cells.append("–")
                    continue
                cell = f"{statistics.median(values):.1f} ({max(values):.1f})"
                if what == "pasted" and figure["timeouts"]:
                    cell = f"no answer in {TIMEOUT_MS // 1000} s ({figure['timeouts']}/{len(values)})"
                cells.append(cell)
            lines.append(f"| {what}: {label} | " + " | ".join(cells) + " |")
    for run in ("keystrokes", "throttled"):
        slowest = sorted(figures["huashu"][run], key=lambda k: -k["ms"])[:5]
        lines.append(
            f"\nhuashu's slowest keystrokes{'' if run == 'keystrokes' else f' at {THROTTLE}×'}"
            " (handler: the input handler alone, search and DOM update; the rest is style and layout): "
            + ", ".join(f"`{k['typed']}` {k['ms']:.1f} ms (handler {k['handler']:.1f})" for k in slowest)
        )
    return "\n".join(lines)


# --- report ---------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if a > 0 and b > 0 else "–"


def report(size: int, entries: int, builds: dict[str, float], figures: dict[str, dict]) -> str:
    h, m, p = figures["huashu"], figures["material"], figures["pagefind"]
    n = len(QUERIES)
    rows = [
        ("ready after navigation start (ms)", "ready", "{:.0f}"),
        ("ready after the load event (ms; ≤0: before it)", "after_load", "{:.0f}"),
        ("first query answered (ms)", "first", "{:.1f}"),
        ("bytes until first results (KB gzip)", "first_bytes", "{:.0f}"),
        ("bytes after full load (KB gzip)", "all_bytes", "{:.0f}"),
        ("per-keystroke median, typed in the UI (ms)", "median", "{:.2f}"),
        ("per-keystroke p95, typed in the UI (ms)", "p95", "{:.2f}"),
    ]
    lines = [
        f"## {entries} entries (requested {size})",
        "",
        "| figure | huashu | Material | Pagefind | huashu/Material | huashu/Pagefind |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, key, fmt in rows:
        scale = 1 / 1024 if "bytes" in key else 1
        values = [f[key] * scale for f in (h, m, p)]
        lines.append(
            f"| {label} | "
            + " | ".join(fmt.format(v) for v in values)
            + f" | {ratio(values[0], values[1])} | {ratio(values[0], values[2])} |"
        )
    lines.append(
        f"| search call alone, per keystroke median / p95 (ms) | {h['api_median']:.2f} / {h['api_p95']:.2f} | | | | |"
    )
    lines.append(
        f"| public queries passed (typed in UI) | {h['passed']}/{n} | {m['passed']}/{n} | {p['passed']}/{n} | | |"
    )
    lines.append(f"| public queries passed (JS API) | {h['api_passed']}/{n} | | | | |")
    lines.append(
        f"| build time (s) | {builds['huashu']:.1f} | {builds['material']:.1f} | +{builds['pagefind']:.1f} (index) "
        f"| {ratio(builds['huashu'], builds['material'])} | |"
    )
    lines.append(f"\nkeystrokes measured per engine: {h['keystrokes']}")
    return "\n".join(lines)


RESULTS = REPO / "bench" / "RESULTS.md"
START, END = "<!-- search_bench.py: start -->", "<!-- search_bench.py: end -->"

INTRO = """# Benchmark results

{start}
Measured {date} on the {cores}-core development machine (headless Debian Chromium {version}) with
`python bench/search_bench.py --runs {runs}`, which writes this section (the whole run took {minutes:.0f} min).
Re-run to reproduce; figures vary with the machine (a plain Material page takes ~0.6 s to its load event here).
The libraries are `bench/generate.py`'s: the bundled library (its {bundled} entries, ids unchanged) plus generated
entries, so the situations' expected ids hold at every size.

The first table of each size: page loads with an empty cache ({runs} runs, median) and the public lookups typed on
the warm page. "typed in the UI" there is the synchronous input handler: the search call plus updating the result
list in the DOM; "search call alone" is `huashu.searchNow(query)`.

The other tables: one warm page per engine, each in its own stock search UI: huashu's search box, Material's search
dialog, and Pagefind's Default UI (`pagefind-ui.js`, `showSubResults: true`, no debounce) added to the same stock
pages, which have no Pagefind UI of their own. Card print pages are marked `data-pagefind-ignore`, so Pagefind
indexes the handbook pages only, as Material's search does.

- **Typing latency**: every query of `tests/data/queries.yaml` and `tests/data/situations.yaml` and two pinyin
  sentences (`{pinyin}`)
  typed one character at a time; per keystroke, from the input event until this query's results are in the DOM
  and laid out (style and layout forced; paint not included, and a frame is rendered
  between keystrokes). Material and Pagefind answer from a web worker: for them this is the round trip to the
  worker and their rendering.
- **CPU slowed {throttle}×**: the same typing with `Emulation.setCPUThrottlingRate` (CDP). Chromium slows the
  page's main thread only, not web workers: Material's and Pagefind's search itself runs at full speed there, only
  their UI is slowed; huashu searches on the main thread, so all of its work is slowed.
- **Quality**: what each UI shows after the whole query is typed, as a list of results in the order shown: huashu's
  rows (entries and categories); Material's links (a page, then its sections); Pagefind's links (a page, then up to
  three of its sections, as its UI chooses them). A link to an entry's heading (`<category>/#<entry-id>`) is that
  entry; a link to a page or to a heading that is no entry is the page: a category page is its category id. A page
  and its own first heading are one result. Situations pass on an expected id in the top five, lookups on an
  expected string in a top-five result's title or text. The **generous reading** is the best case for the two
  page-level engines: sections folded under Material's "more results on this page" count, and a page's own link
  takes no place when the list shows entries of that page.
"""


def targets(figures: dict) -> str:
    h = figures["huashu"]
    typed = [k["ms"] for k in h["keystrokes"]]
    throttled = [k["ms"] for k in h["throttled"]]
    calls = [max(f["call"]) for f in h["long"].values()]
    checks = [
        ("typed p95 ≤ 16 ms", percentile(typed, 95), 16),
        ("typed max ≤ 50 ms", max(typed), 50),
        (f"typed at {THROTTLE}× CPU p95 ≤ 50 ms", percentile(throttled, 95), 50),
        ("200-character search call ≤ 50 ms (slowest of all)", max(calls), 50),
    ]
    return "huashu's targets: " + "; ".join(
        f"{label}: {value:.1f} ms {'met' if value <= limit else '**missed**'}" for label, value, limit in checks
    )


def write_results(text: str, path: Path = RESULTS) -> None:
    """Replace the part of RESULTS.md this script writes (from the top up to END, or
    up to the scale section in a file that has no markers yet); keep the rest."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if END in old:
        rest = old[old.index(END) + len(END) :]
    elif "\n## Scale" in old:
        rest = "\n" + old[old.index("\n## Scale") :]
    else:
        rest = "\n"
    path.write_text(text.rstrip() + "\n" + END + "\n\n" + rest.lstrip("\n"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="搜索基准：huashu、Material 自带搜索、Pagefind 同场对比")
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 10000])
    parser.add_argument("--runs", type=int, default=5, help="empty-cache page loads per engine (median)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/huashu-bench"))
    parser.add_argument("--results", type=Path, default=RESULTS, help="file whose search section is replaced")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    args = parser.parse_args()
    from huashu import load_library

    started = time.perf_counter()
    bundled = len(load_library(REPO / "scripts_library", base=REPO).entries)
    output = []
    engines = ("huashu", "material", "pagefind")
    with chromium() as browser:
        for size in args.sizes:
            work = args.work / str(size)
            work.mkdir(parents=True, exist_ok=True)
            library = generate(size, work / "library")
            loaded = load_library(library)
            entries = len(loaded.entries)
            entry_ids = {e.id for e in loaded.entries}
            known = entry_ids | {c.id for c in loaded.categories}
            builds = build_sites(library, work)
            figures = {e: measure_engine(e, browser, work / e, args.runs) for e in engines}
            table = report(size, entries, builds, figures)
            print(table, flush=True)
            live = {}
            for engine in engines:
                began = time.perf_counter()
                live[engine] = measure_live(engine, browser, work / engine, entry_ids)
                print(
                    f"  ({engine}: typing, quality and long queries in {time.perf_counter() - began:.0f} s)", flush=True
                )
            section = live_report(entries, live)
            missing = sorted({i for q in SETS["situations"] for i in q["expect_ids"]} - known)
            if missing:
                section += "\n\nexpected ids not in this library (those situations cannot pass): " + ", ".join(missing)
            section += "\n\n" + targets(live)
            print("\n" + section, flush=True)
            output.append(table + "\n\n" + section)
        version = browser.version
    minutes = (time.perf_counter() - started) / 60
    machine = f"machine: {os.cpu_count()} cores; Chromium {version} (Debian, headless); runs per figure: {args.runs}"
    print(f"\n{machine}; whole run {minutes:.1f} min")
    if not args.no_write:
        intro = INTRO.format(
            start=START,
            date=time.strftime("%Y-%m-%d"),
            cores=os.cpu_count(),
            version=version.split(".")[0],
            runs=args.runs,
            minutes=minutes,
            bundled=bundled,
            pinyin="`, `".join(LONG_PINYIN),
            throttle=THROTTLE,
        )
        write_results(intro + "\n\n" + "\n\n".join(output) + f"\n\n{machine}\n", args.results)
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
