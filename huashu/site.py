"""MkDocs wiring: what the hook needs, kept out of the hook so it stays a few lines.

Every function here takes MkDocs objects, calls a pipeline stage and hands the
result back to MkDocs; no content logic lives here.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from huashu import pages, search_index
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


def huashu_search_enabled() -> bool:
    return os.environ.get(STOCK_SEARCH_ENV, "").lower() not in ("1", "true", "yes")


def library_dir(config: MkDocsConfig) -> Path:
    """The library beside mkdocs.yml, or the folder named by $HUASHU_LIBRARY."""
    project = Path(config.config_file_path).parent
    return project / os.environ.get("HUASHU_LIBRARY", LIBRARY_FOLDER)


def load_for_site(config: MkDocsConfig) -> Library:
    """Load the library for a build; a broken library stops the build with every message."""
    folder = library_dir(config)
    if str(folder) not in config.watch:
        config.watch.append(str(folder))
    config.extra["huashu_search"] = huashu_search_enabled()
    try:
        return load_library(folder, base=Path(config.config_file_path).parent)
    except LibraryInvalid as exc:
        # PluginError is printed by MkDocs as a plain message, without a traceback.
        raise PluginError("话术库校验失败：\n" + exc.report()) from None


def set_navigation(config: MkDocsConfig, library: Library) -> None:
    """Generated pages first, then the hand-written pages listed in mkdocs.yml's nav."""
    config.nav = pages.navigation(library, config.nav)


def add_generated_pages(files: Files, config: MkDocsConfig, library: Library) -> Files:
    renderer = pages.PageRenderer(library, pages.PageLinks(config.use_directory_urls))
    generated = renderer.pages()
    card_markdown, card_html, reports = renderer.card_pages(config.site_url or "")
    generated.update(card_markdown)
    _CARD_HTML.clear()
    _CARD_HTML.update(card_html)
    report_card_fit(reports)
    if huashu_search_enabled():
        generated[pages.SEARCH_PAGE] = renderer.render("search.md.jinja", pages.SEARCH_PAGE)
    for src_uri, content in generated.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            raise PluginError(f"docs/{src_uri} 与自动生成的页面同名，请改名或删除")
        files.append(File.generated(config, src_uri, content=content))
    return files


# Cards' HTML by page, put into each cards page after its Markdown is converted.
_CARD_HTML: dict[str, str] = {}


def insert_cards(html: str, src_uri: str) -> str:
    cards = _CARD_HTML.get(src_uri)
    if cards is None:
        return html
    return html.replace(f'<div class="hs-cards-slot" data-cards="{src_uri}"></div>', cards, 1)


def report_card_fit(reports: list) -> None:
    """Cards that had to be shrunk or split: a warning (an error under --strict) when an
    editor asked for that size, information when huashu chose the size itself."""
    for report in reports:
        (log.warning if report.explicit else log.info)(report.message())


def write_search_index(config: MkDocsConfig, library: Library) -> None:
    if huashu_search_enabled():
        folder = Path(config.site_dir) / SEARCH_DATA_FOLDER
        search_index.write_index(library, folder, config.use_directory_urls)
