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

    python bench/search_bench.py                  # 200 and 10,000 entries
    python bench/search_bench.py --sizes 10000 --runs 3
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from browser import chromium, serve  # noqa: E402
from eval_queries import load_queries, passes  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description="搜索基准：huashu、Material 自带搜索、Pagefind 同场对比")
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 10000])
    parser.add_argument("--runs", type=int, default=5, help="empty-cache page loads per engine (median)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/huashu-bench"))
    args = parser.parse_args()
    from huashu import load_library

    output = []
    with chromium() as browser:
        for size in args.sizes:
            work = args.work / str(size)
            work.mkdir(parents=True, exist_ok=True)
            library = generate(size, work / "library")
            entries = len(load_library(library).entries)
            builds = build_sites(library, work)
            figures = {e: measure_engine(e, browser, work / e, args.runs) for e in ("huashu", "material", "pagefind")}
            table = report(size, entries, builds, figures)
            print(table, flush=True)
            output.append(table)
        version = browser.version
    print(f"\nmachine: {os.cpu_count()} cores; Chromium {version} (Debian, headless); runs per figure: {args.runs}")


if __name__ == "__main__":
    main()
