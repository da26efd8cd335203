"""MkDocs wiring: what the hook needs, kept out of the hook so it stays a few lines.

Every function here takes MkDocs objects, calls a pipeline stage and hands the
result back to MkDocs; no content logic lives here.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from huashu import changes, csp, pages, search_index
from huashu.errors import LibraryInvalid
from huashu.model import Library
from huashu.validate import load_library

log = get_plugin_logger("huashu")

LIBRARY_FOLDER = "scripts_library"
# HUASHU_STOCK_SEARCH=true builds the same pages with Material's own search instead
# of huashu's (mkdocs.yml enables Material's plugin from the same variable), for
# side-by-side benchmarks.
STOCK_SEARCH_ENV = "HUASHU_STOCK_SEARCH"
SEARCH_DATA_FOLDER = "search/data"
# Body index size (bytes) above which shards load on the first search, not on every page view.
LAZY_INDEX_ENV = "HUASHU_LAZY_INDEX_BYTES"


def huashu_search_enabled() -> bool:
    return os.environ.get(STOCK_SEARCH_ENV, "").lower() not in ("1", "true", "yes")


def library_dir(config: MkDocsConfig) -> Path:
    """The library beside mkdocs.yml, or the folder named by $HUASHU_LIBRARY."""
    project = Path(config.config_file_path).parent
    return project / os.environ.get("HUASHU_LIBRARY", LIBRARY_FOLDER)


@dataclass
class Handbook:
    """What one build knows about the library: its content and its recent history."""

    library: Library
    history: list[changes.CommitChanges] = field(default_factory=list)


# Set by on_startup: under `mkdocs serve` a broken library keeps the last good one.
_serving = False
_last_good: Handbook | None = None
BUILD_ERRORS_KEY = "huashu_build_errors"


def note_command(command: str) -> None:
    global _serving
    _serving = command == "serve"


def load_for_site(config: MkDocsConfig) -> Handbook:
    """Load the library for a build; a broken library stops the build with every message.

    Under `mkdocs serve`, once a build has succeeded, a broken library does not stop
    the build: the errors go to the terminal and to a banner on every page, and the
    pages are built from the last library that was valid. (A failed rebuild would
    leave MkDocs' dev server holding every page request until the next good one.)
    """
    global _last_good
    folder = library_dir(config)
    if str(folder) not in config.watch:
        config.watch.append(str(folder))
    config.extra["huashu_search"] = huashu_search_enabled()
    config.extra[BUILD_ERRORS_KEY] = []
    try:
        library = load_library(folder, base=Path(config.config_file_path).parent)
    except LibraryInvalid as exc:
        if _serving and _last_good is not None:
            # Not through MkDocs' logger: under `strict` any warning would fail the build.
            print(_SERVE_ERROR_BANNER + exc.report() + _SERVE_ERROR_HINT, file=sys.stderr, flush=True)
            config.extra[BUILD_ERRORS_KEY] = [str(e) for e in exc.errors]
            return _last_good
        # PluginError is printed by MkDocs as a plain message, without a traceback.
        raise PluginError("话术库校验失败：\n" + exc.report()) from None
    _last_good = Handbook(library, changes.recent_changes(folder) or [])
    return _last_good


_SERVE_ERROR_BANNER = "ERROR   -  话术库校验失败：\n"
_SERVE_ERROR_HINT = (
    "\n预览服务器继续提供上一次成功构建的页面（页面顶部列出了这些错误）；改好文件并保存后会自动重新构建。"
)


def set_navigation(config: MkDocsConfig, handbook: Handbook) -> None:
    """Generated pages first, then the hand-written pages listed in mkdocs.yml's nav."""
    config.nav = pages.navigation(handbook.library, config.nav, with_changes=bool(handbook.history))


def add_generated_pages(files: Files, config: MkDocsConfig, handbook: Handbook) -> Files:
    renderer = pages.PageRenderer(handbook.library, pages.PageLinks(config.use_directory_urls))
    generated = renderer.pages()
    category_markdown, category_html = renderer.category_pages()
    generated[pages.TAGS_PAGE], category_html[pages.TAGS_PAGE] = renderer.tags_page()
    card_markdown, card_html, reports = renderer.card_pages(config.site_url or "")
    generated.update(category_markdown)
    generated.update(card_markdown)
    if handbook.history:
        generated[pages.CHANGES_PAGE] = renderer.changes_page(handbook.history)
    _SLOT_HTML.clear()
    _SLOT_HTML.update(category_html)
    _SLOT_HTML.update(card_html)
    report_card_fit(reports)
    if huashu_search_enabled():
        generated[pages.SEARCH_PAGE] = renderer.render("search.md.jinja", pages.SEARCH_PAGE)
    for src_uri, content in generated.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            raise PluginError(f"docs/{src_uri} 与自动生成的页面同名，请改名或删除")
        files.append(File.generated(config, src_uri, content=content))
    return files


# HTML of generated pages that skips Markdown (entries, cards): by page, per slot a string
# or pieces to join (cards shared by several print runs are stored once).
_SLOT_HTML: dict[str, list] = {}


def fill_slots(html: str, src_uri: str) -> str:
    """Put the entries' or cards' HTML into a page, once per build.

    Called on the finished page (after the theme), so neither Python-Markdown nor the
    page objects MkDocs keeps for the whole build ever hold it: at 100,000 entries
    that is most of a build's time and memory. With Material's own search switched
    on, on the converted content instead, so that search indexes the entries.
    """
    slots = _SLOT_HTML.pop(src_uri, None)
    return html if slots is None else pages.fill_slots(html, slots)


def fill_slots_in_content(html: str, src_uri: str) -> str:
    return html if huashu_search_enabled() else fill_slots(html, src_uri)


def fill_slots_in_page(html: str, src_uri: str) -> str:
    return fill_slots(html, src_uri) if huashu_search_enabled() else html


def report_card_fit(reports: list) -> None:
    """Cards that had to be shrunk or split: a warning (an error under --strict) when an
    editor asked for that size, information when huashu chose the size itself."""
    for report in reports:
        (log.warning if report.explicit else log.info)(report.message())


def write_search_index(config: MkDocsConfig, handbook: Handbook) -> None:
    if huashu_search_enabled():
        folder = Path(config.site_dir) / SEARCH_DATA_FOLDER
        lazy_bytes = int(os.environ.get(LAZY_INDEX_ENV, search_index.LAZY_BODY_BYTES))
        search_index.write_index(handbook.library, folder, config.use_directory_urls, lazy_bytes)


def harden_page(html: str, name: str) -> str:
    """A Content-Security-Policy on every built page; not under `mkdocs serve`, whose
    live-reload script is inline and added after the build."""
    scripts = csp.inline_scripts(html)  # once per page: card pages run to megabytes
    for script in csp.unknown_inline_scripts(html, scripts):
        log.warning(f"{name} 含有来历不明的内联脚本（已被内容安全策略禁止执行）：{script[:80]!r}")
    # Not on the stock-search build either: it exists for benchmarks, where Pagefind is
    # run over its pages and needs WebAssembly, which the policy does not allow.
    return html if _serving or not huashu_search_enabled() else csp.add_policy(html, scripts)
