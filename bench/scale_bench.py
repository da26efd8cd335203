"""Scale benchmark: build time, peak memory and search-index transfer at 10,000 and
100,000 entries, huashu beside plain Material for MkDocs building the same pages.

For each size a deterministic library is generated (bench/generate.py), then built
twice, one after the other, each `mkdocs build` in its own process:

- huashu: this repository's site (hooks, card print runs, review and index pages,
  pinyin search index, Content-Security-Policy);
- plain Material: the same category, home and tag pages exported as ordinary
  Markdown files (entries as the HTML huashu renders), built by Material for MkDocs
  with its own search plugin and nothing of huashu's.

Peak memory is the build process's maximum resident set (getrusage via wait4).
Index transfer: what a page view downloads of the search index (gzip), beside the
whole index.

    python bench/scale_bench.py                    # 10,000 and 100,000 entries
    python bench/scale_bench.py --sizes 10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from generate import generate  # noqa: E402

from huashu import load_library, pages, urls  # noqa: E402

PARTS = ("mkdocs.yml", "hooks", "overrides", "docs")
# The same theme features as the handbook's mkdocs.yml: the comparison is about huashu, not the theme.
THEME_FEATURES = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=get_yaml_loader())["theme"][
    "features"
]
GiB = 1024**3


def timed_build(project: Path, env: dict[str, str]) -> dict[str, float]:
    """Wall time and peak RSS of one `mkdocs build` in its own process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed in {project}:\n{output.decode('utf-8', 'replace')[-3000:]}")
    return {"seconds": seconds, "peak_bytes": usage.ru_maxrss * 1024}


def huashu_project(root: Path, library: Path) -> Path:
    project = root / "huashu"
    project.mkdir(parents=True)
    for part in PARTS:
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    os.symlink(library, project / "scripts_library")
    return project


def plain_material_project(root: Path, library_dir: Path) -> Path:
    """The same content pages as ordinary Markdown, for Material without huashu."""
    library = load_library(library_dir)
    renderer = pages.PageRenderer(library, urls.PageLinks(True))
    project = root / "material"
    docs = project / "docs"
    generated = renderer.pages()
    generated.pop(urls.REVIEW_PAGE)
    category_markdown, category_html = renderer.category_pages()
    category_markdown[urls.TAGS_PAGE], category_html[urls.TAGS_PAGE] = renderer.tags_page()
    for uri, markdown in category_markdown.items():
        generated[uri] = pages.fill_slots(markdown, category_html[uri])
    for uri, markdown in generated.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(markdown, encoding="utf-8")
    nav = [item for item in pages.navigation(library) if not ({"待复核", "打印卡片"} & set(item))]
    config = {
        "site_name": "客服话术手册",
        "theme": {"name": "material", "language": "zh", "font": False, "features": THEME_FEATURES},
        "plugins": ["search"],
        "markdown_extensions": ["attr_list", {"toc": {"permalink": "#"}}],
        "nav": nav,
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def huashu_index(site: Path) -> dict[str, float]:
    folder = site / "search" / "data"
    head = folder / "head.js"
    bodies = sorted(folder.glob("body-*.js"))
    text = head.read_text(encoding="utf-8")
    literal = text[text.index("JSON.parse(") + len("JSON.parse(") : text.rindex("));")]
    _, data = json.loads(json.loads(literal))
    lazy = data["lazy"]
    head_gz = gzip_size(head)
    bodies_gz = sum(gzip_size(b) for b in bodies)
    return {
        "index_total_gz": head_gz + bodies_gz,
        "page_view_gz": head_gz if lazy else head_gz + bodies_gz,
        "shards": len(bodies),
        "lazy": lazy,
    }


def material_index(site: Path) -> dict[str, float]:
    index = site / "search" / "search_index.json"
    size = gzip_size(index)
    return {"index_total_gz": size, "page_view_gz": size}  # Material loads it whole on first search


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def measure(count: int, work: Path) -> dict[str, dict]:
    library = generate(count, work / f"lib{count}")
    root = work / f"projects{count}"
    results = {}
    project = huashu_project(root, library)
    results["huashu"] = timed_build(project, {})
    results["huashu"].update(
        huashu_index(project / "site"),
        site_bytes=site_bytes(project / "site"),
        cards_bytes=site_bytes(project / "site" / "cards"),
    )
    shutil.rmtree(project / "site")
    project = plain_material_project(root, library)
    results["material"] = timed_build(project, {})
    results["material"].update(material_index(project / "site"), site_bytes=site_bytes(project / "site"))
    shutil.rmtree(root)
    return results


def report(count: int, results: dict[str, dict]) -> str:
    h, m = results["huashu"], results["material"]

    def row(label: str, a: str, b: str, ratio: str = "") -> str:
        return f"| {label} | {a} | {b} | {ratio} |"

    lines = [
        f"### {count:,} entries",
        "",
        "| | huashu | plain Material | huashu / Material |",
        "| --- | ---: | ---: | ---: |",
        row("build time (s)", f"{h['seconds']:.1f}", f"{m['seconds']:.1f}", f"{h['seconds'] / m['seconds']:.2f}×"),
        row(
            "peak memory (GiB)",
            f"{h['peak_bytes'] / GiB:.2f}",
            f"{m['peak_bytes'] / GiB:.2f}",
            f"{h['peak_bytes'] / m['peak_bytes']:.2f}×",
        ),
        row(
            "site size (MB)",
            f"{h['site_bytes'] / 1e6:.0f}",
            f"{m['site_bytes'] / 1e6:.0f}",
            f"{h['site_bytes'] / m['site_bytes']:.2f}×",
        ),
        row("of which card print runs (MB)", f"{h['cards_bytes'] / 1e6:.1f}", "–"),
        row("whole search index (KB gzip)", f"{h['index_total_gz'] / 1024:.0f}", f"{m['index_total_gz'] / 1024:.0f}"),
        row(
            "search index a page view downloads (KB gzip)",
            f"{h['page_view_gz'] / 1024:.0f}" + (" (body on first search)" if h["lazy"] else ""),
            f"{m['page_view_gz'] / 1024:.0f} (on first search)",
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="构建时间、峰值内存和搜索索引传输量：huashu 与原版 Material 对比")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, help="工作目录（默认：临时目录，结束后删除）")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="huashu-scale-"))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    try:
        for count in args.sizes:
            print(report(count, measure(count, work)), flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
