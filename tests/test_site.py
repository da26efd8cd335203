"""Stage tests for page rendering: real `mkdocs build` runs on real YAML, in temporary folders."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURES, REPO, make_project, mkdocs_build
from htmlscan import parse, with_class

from huashu import load_library, model

# Real site builds and browsers: `make test`, not `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundled_library() -> model.Library:
    return load_library(REPO / "scripts_library", base=REPO)


def page_of(site: Path, entry: model.Entry) -> Path:
    return site / entry.category / "index.html"


def test_every_entry_has_an_anchor_on_its_category_page(bundled_site: Path, bundled_library: model.Library) -> None:
    missing = []
    for entry in bundled_library.entries:
        ids = {e.attrs.get("id") for e in parse(page_of(bundled_site, entry))}
        if entry.id not in ids:
            missing.append(entry.id)
    assert missing == []


def test_every_category_page_is_in_the_navigation(bundled_site: Path, bundled_library: model.Library) -> None:
    nav_links = {
        e.attrs["href"] for e in parse(bundled_site / "index.html") if e.tag == "a" and "md-nav__link" in e.classes
    }
    for category in bundled_library.categories:
        assert f"{category.id}/" in nav_links, category.id


def test_phrases_have_copy_buttons_with_exact_text(bundled_site: Path, bundled_library: model.Library) -> None:
    for entry in bundled_library.entries:
        if not isinstance(entry, model.Phrase):
            continue
        elements = parse(page_of(bundled_site, entry))
        block = next(e for e in elements if e.attrs.get("data-entry") == entry.id)
        start = elements.index(block)
        end = next((i for i in range(start + 1, len(elements)) if "hs-entry" in elements[i].classes), len(elements))
        copied = [e.attrs["data-copy-text"] for e in with_class(elements[start:end], "hs-copy")]
        expected = [entry.instead] if entry.avoid else [entry.text, *entry.variants]
        assert copied == expected, entry.id


def test_procedure_steps_show_referenced_phrases(bundled_site: Path, bundled_library: model.Library) -> None:
    procedure = bundled_library.by_id["inbound-call-procedure"]
    assert isinstance(procedure, model.Procedure)
    elements = parse(page_of(bundled_site, procedure))
    block = next(e for e in elements if e.attrs.get("data-entry") == procedure.id)
    steps = [e for e in elements[elements.index(block) :] if "hs-step" in e.classes][: len(procedure.steps)]
    assert len(steps) == len(procedure.steps)
    greeting = bundled_library.by_id["greeting-standard"]
    assert isinstance(greeting, model.Phrase)
    assert greeting.text in steps[1].text and "时限：接通后 2 秒内" in steps[1].text


def test_home_page_counts_entries_per_category(bundled_site: Path, bundled_library: model.Library) -> None:
    home = parse(bundled_site / "index.html")
    totals = with_class(home, "hs-totals")[0].text
    counts = bundled_library.count_by_kind()
    assert f"共 {len(bundled_library.entries)} 条" in totals
    assert f"话术 {counts['phrase']} 条，流程 {counts['procedure']} 条，问答 {counts['faq']} 条" in totals
    items = [e for e in home if e.tag == "li" and e.text.strip()]
    listed = {}
    for item in items:
        match = re.fullmatch(r"(.+?)(\d+) 条", item.text.strip())
        if match:
            listed[match.group(1)] = int(match.group(2))
    expected = {c.title: len(bundled_library.entries_in(c.id)) for c in bundled_library.categories}
    assert listed == expected


def test_every_entry_shows_owner_and_review_date(bundled_site: Path, bundled_library: model.Library) -> None:
    for entry in bundled_library.entries:
        elements = parse(page_of(bundled_site, entry))
        block = next(e for e in elements if e.attrs.get("data-entry") == entry.id)
        assert f"负责人：{entry.owner}" in block.text
        assert f"复核：{entry.reviewed.isoformat()}" in block.text


def test_tag_index_lists_every_tag(bundled_site: Path, bundled_library: model.Library) -> None:
    ids = {e.attrs.get("id") for e in parse(bundled_site / "tags" / "index.html")}
    for tag in bundled_library.tags():
        assert f"tag-{tag}" in ids


def internal_links(site: Path) -> list[tuple[Path, str]]:
    links = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # MkDocs writes it with root-absolute links for any depth
            continue
        for element in parse(page):
            href = element.attrs.get("href") if element.tag == "a" else None
            if href and not urlsplit(href).scheme and not href.startswith("#"):
                links.append((page, href))
    return links


def assert_links_resolve(site: Path) -> None:
    broken = []
    for page, href in internal_links(site):
        parts = urlsplit(href)
        target = (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{page.relative_to(site)} -> {href}")
        elif parts.fragment:
            ids = {e.attrs.get("id") for e in parse(target)}
            if unquote(parts.fragment) not in ids:
                broken.append(f"{page.relative_to(site)} -> {href} (anchor)")
    assert broken == []


def test_all_internal_links_and_anchors_resolve(bundled_site: Path) -> None:
    assert_links_resolve(bundled_site)


def test_links_resolve_without_directory_urls(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "base_library")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "greetings" / "index.html").exists()
    assert_links_resolve(project / "site")


def test_site_loads_nothing_from_other_origins(bundled_site: Path) -> None:
    offenders = []
    for page in bundled_site.rglob("*.html"):
        for element in parse(page):
            for attr in ("src", "href"):
                url = element.attrs.get(attr, "")
                loads = element.tag in ("script", "img", "link", "iframe", "source")
                if loads and urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                    offenders.append(f"{page.relative_to(bundled_site)}: <{element.tag} {attr}={url}>")
    assert offenders == []


def test_build_writes_nothing_into_docs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "base_library")
    before = sorted(p.relative_to(project) for p in (project / "docs").rglob("*"))
    assert mkdocs_build(project).returncode == 0
    assert sorted(p.relative_to(project) for p in (project / "docs").rglob("*")) == before


def test_same_library_builds_to_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible: the bundled library (cards, review page, index, sitemap) twice, in
    different seconds; the build date comes from SOURCE_DATE_EPOCH, not the clock, so
    builds on different days are identical too."""
    import time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # 2026-01-02
    project = make_project(tmp_path / "p")
    assert mkdocs_build(project, "--site-dir", "one").returncode == 0
    time.sleep(1.1)
    assert mkdocs_build(project, "--site-dir", "two").returncode == 0
    one = {p.relative_to(project / "one"): p.read_bytes() for p in (project / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(project / "two"): p.read_bytes() for p in (project / "two").rglob("*") if p.is_file()}
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []
    assert int.from_bytes(one[Path("sitemap.xml.gz")][4:8], "little") == 1767312000  # gzip's own date field
    assert '截至 <time datetime="2026-01-02">' in one[Path("review/index.html")].decode("utf-8")


@pytest.mark.parametrize("case", ["unknown-field", "yaml-syntax", "duplicate-id"])
def test_broken_library_stops_the_build_with_the_same_messages(case: str, tmp_path: Path) -> None:
    from test_validate import assemble_library

    library = assemble_library(tmp_path / "lib", case)
    project = make_project(tmp_path / "p", library)
    result = mkdocs_build(project)
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.returncode == 1
    for line in expected:
        assert line in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (project / "site" / "index.html").exists()


def test_library_warnings_are_mkdocs_warnings(tmp_path: Path) -> None:
    """Logged through MkDocs' logger: shown in the build log, and counted by --strict."""
    from test_validate import assemble_library

    library = assemble_library(tmp_path / "lib", "comment-cut", cases="warnings")
    project = make_project(tmp_path / "p", library)
    result = mkdocs_build(project)
    expected = (FIXTURES / "warnings" / "comment-cut" / "expected.txt").read_text(encoding="utf-8").splitlines()
    logged = [line.split(" -  huashu: ", 1)[1] for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert logged == expected
    assert result.returncode == 1
    assert f"Aborted with {len(expected)} warnings in strict mode" in result.stdout + result.stderr


def test_content_is_shown_as_text_not_markup(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    shutil.copytree(FIXTURES / "base_library", library)
    (library / "phrases.yaml").write_text(
        "defaults: {kind: phrase, category: greetings, owner: 培训组, reviewed: 2026-10-01}\n"
        "entries:\n"
        "  - id: hello\n"
        "    title: '*粗体* <b>标签</b> {#x}'\n"
        "    text: '<script>window.hacked=1</script> **不是粗体** {称呼}'\n"
        "  - id: goodbye\n"
        "    title: 再见\n"
        "    text: 再见！\n",
        encoding="utf-8",
    )
    project = make_project(tmp_path / "p", library)
    assert mkdocs_build(project).returncode == 0
    html = (project / "site" / "greetings" / "index.html").read_text(encoding="utf-8")
    assert "<script>window.hacked" not in html and "<b>标签</b>" not in html
    elements = parse(project / "site" / "greetings" / "index.html")
    title = next(e for e in elements if e.attrs.get("id") == "hello")
    assert title.text.rstrip("#") == "*粗体* <b>标签</b> {#x}"
    copy = next(e for e in with_class(elements, "hs-copy"))
    assert copy.attrs["data-copy-text"] == "<script>window.hacked=1</script> **不是粗体** {称呼}"


def test_stock_search_switch_builds_materials_search_instead(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    project = make_project(tmp_path / "p", FIXTURES / "base_library")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HUASHU_STOCK_SEARCH": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (site / "search" / "search_index.json").exists()
    assert not (site / "search" / "data").exists()
    html = (site / "greetings" / "index.html").read_text(encoding="utf-8")
    assert "md-search__input" in html and "hs-search" not in html
    # Material's index has the entries (slots filled before its plugin reads the page)
    import json

    indexed = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("您好，很高兴为您服务！" in doc["text"] for doc in indexed["docs"])
    # a build for benchmarks: no security policy, so Pagefind's WebAssembly can run over its pages
    assert "Content-Security-Policy" not in html


def test_search_index_files(bundled_site: Path) -> None:
    data = bundled_site / "search" / "data"
    head = (data / "head.js").read_text(encoding="utf-8")
    assert head.startswith("(window.huashuData=window.huashuData||[]).push(JSON.parse(")
    shards = sorted(p.name for p in data.glob("body-*.js"))
    assert shards and all(re.fullmatch(r"body-\d+\.[0-9a-f]{10}\.js", name) for name in shards)
    for name in shards:
        assert name in head


def test_category_groups_nest_in_the_navigation_and_are_pruned(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    shutil.copytree(FIXTURES / "base_library", library)
    (library / "categories.yaml").write_text(
        "categories:\n"
        "  - {id: greetings, title: 问候语, section: phrases, group: 燃气}\n"
        "  - {id: closings, title: 结束语, section: phrases, group: 宽带}\n"
        "  - {id: farewell, title: 告别语, section: phrases, group: 宽带}\n"
        "  - {id: inbound, title: 呼入电话, section: procedures}\n"
        "  - {id: questions, title: 常见问题, section: faq}\n",
        encoding="utf-8",
    )
    (library / "closings.yaml").write_text(
        "entries:\n  - {id: bye, kind: phrase, category: closings, title: 再见, text: 再见！, owner: x, reviewed: 2026-10-01}\n"
        "  - {id: ciao, kind: phrase, category: farewell, title: 回见, text: 回见！, owner: x, reviewed: 2026-10-01}\n",
        encoding="utf-8",
    )
    project = make_project(tmp_path / "p", library)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    elements = parse(project / "site" / "greetings" / "index.html")
    nav_labels = [e.text.strip() for e in with_class(elements, "md-ellipsis")]
    assert "燃气" in nav_labels and "宽带" in nav_labels
    # navigation.prune: a closed group is one link (to its first page), not its list of pages
    nav_links = [e.attrs.get("href") for e in with_class(elements, "md-nav__link") if e.tag == "a"]
    assert "../inbound/" in nav_links and "../closings/" in nav_links
    assert "../farewell/" not in nav_links
    farewell = parse(project / "site" / "farewell" / "index.html")
    assert "../closings/" in [e.attrs.get("href") for e in with_class(farewell, "md-nav__link") if e.tag == "a"]


def test_settings_come_from_mkdocs_yml_and_the_environment_overrides_them(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "scripts_library").rename(project / "content")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    library: scripts_library\n" in text
    config.write_text(text.replace("    library: scripts_library\n", "    library: content\n"), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert (project / "site" / "greetings" / "index.html").exists()
    # The command line reads the same setting.
    validated = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "validate"], cwd=project, capture_output=True, text=True, check=False
    )
    assert validated.returncode == 0 and validated.stdout.startswith("话术库校验通过："), validated.stderr

    overridden = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "HUASHU_LIBRARY": "elsewhere"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert overridden.returncode == 1
    assert "elsewhere:1:1: 话术库文件夹不存在" in overridden.stderr and "Traceback" not in overridden.stderr

    config.write_text(text.replace("# lazy_index_bytes: 8000000", "lazy_index_bytes: 很多"), encoding="utf-8")
    broken = mkdocs_build(project)
    assert broken.returncode == 1
    assert (
        "extra.huashu.lazy_index_bytes 应为整数（字节数），实际是“很多”" in broken.stderr
        and "Traceback" not in broken.stderr
    )
