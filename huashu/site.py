"""MkDocs glue: the one module besides the hook that knows MkDocs.

Every method here takes MkDocs objects, calls a pipeline stage and hands the
result back to MkDocs; no content logic lives here. What a build knows lives in
one `Build` object; what must outlive a build under `mkdocs serve` (the last
library that was valid) lives in the `Session` that makes them.

Settings come from mkdocs.yml (`extra: huashu:`); a few environment variables
override them (SETTINGS below), for benchmarks and one-off builds.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from huashu import cards, changes, csp, load_library, model, pages, search_index, urls
from huashu.errors import LibraryInvalid, split_warnings
from huashu.load import DEFAULT_LIBRARY
from huashu.model import Library

log = get_plugin_logger("huashu")

CONFIG_KEY = "huashu"  # mkdocs.yml: extra: huashu: {...}
SEARCH_DATA_FOLDER = "search/data"
BUILD_ERRORS_KEY = "huashu_build_errors"


@dataclass(frozen=True)
class Setting:
    key: str  # under extra: huashu: in mkdocs.yml
    env: str  # the environment variable that overrides it
    default: Any


SETTINGS = (
    # The library folder, relative to mkdocs.yml.
    Setting("library", "HUASHU_LIBRARY", DEFAULT_LIBRARY),
    # Body index size (bytes) above which shards load on the first search, not on every page view.
    Setting("lazy_index_bytes", "HUASHU_LAZY_INDEX_BYTES", search_index.LAZY_BODY_BYTES),
)


@dataclass(frozen=True)
class Settings:
    library: Path
    lazy_index_bytes: int
    # Material's own search instead of huashu's: mkdocs.yml enables Material's plugin
    # from HUASHU_STOCK_SEARCH, for side-by-side benchmarks.
    stock_search: bool


def _setting_values(given: Any) -> dict[str, tuple[Any, str]]:
    """Each setting's value with where it came from (for messages): environment, mkdocs.yml or default."""
    if not isinstance(given, dict):
        raise PluginError(
            f"mkdocs.yml 的 extra.{CONFIG_KEY} 应为键值对（如 library: scripts_library），实际是“{given}”"
        )
    values = {}
    for setting in SETTINGS:
        if os.environ.get(setting.env):
            values[setting.key] = (os.environ[setting.env], f"环境变量 {setting.env}")
        else:
            values[setting.key] = (given.get(setting.key, setting.default), f"extra.{CONFIG_KEY}.{setting.key}")
    return values


def read_settings(config: MkDocsConfig) -> Settings:
    values = _setting_values(config.extra.get(CONFIG_KEY) or {})
    project = Path(config.config_file_path).parent
    search = config.plugins.get("material/search") or config.plugins.get("search")
    stock = bool(search is not None and search.config.get("enabled", True))
    lazy, lazy_from = values["lazy_index_bytes"]
    if isinstance(lazy, bool) or not str(lazy).strip().isdigit():
        raise PluginError(f"{lazy_from} 应为整数（字节数），实际是“{lazy}”")
    return Settings(project / str(values["library"][0]), int(str(lazy).strip()), stock)


def library_setting(config_file: Path) -> Path:
    """The library folder a site's mkdocs.yml names (for the command line, which builds no site)."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader  # reads mkdocs.yml's !ENV tags as MkDocs does

    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=get_yaml_loader())
    except (OSError, yaml.YAMLError):
        raw = None
    extra = raw.get("extra") if isinstance(raw, dict) else None
    given = extra.get(CONFIG_KEY) if isinstance(extra, dict) else None
    values = _setting_values(given if isinstance(given, dict) else {})
    return config_file.parent / str(values["library"][0])


@dataclass
class Handbook:
    """What one build knows about the library: its content and its recent history."""

    library: Library
    history: list[changes.CommitChanges] = field(default_factory=list)


@dataclass
class Build:
    """One build: its settings, the library it renders and the HTML waiting for its pages."""

    config: MkDocsConfig
    settings: Settings
    handbook: Handbook
    # HTML of generated pages that skips Markdown (entries, cards): by page, per slot a
    # string or pieces to join (cards shared by several print runs are stored once).
    slots: dict[str, list] = field(default_factory=dict)

    @property
    def huashu_search(self) -> bool:
        return not self.settings.stock_search

    def set_navigation(self) -> None:
        """Generated pages first, then the hand-written pages listed in mkdocs.yml's nav."""
        config = self.config
        config.nav = pages.navigation(
            self.handbook.library,
            config.nav,
            with_changes=bool(self.handbook.history),
            with_misses=self.huashu_search,
        )

    def add_generated_pages(self, files: Files) -> Files:
        config = self.config
        renderer = pages.PageRenderer(self.handbook.library, urls.PageLinks(config.use_directory_urls))
        generated = renderer.pages()
        category_markdown, category_html = renderer.category_pages()
        generated[urls.TAGS_PAGE], category_html[urls.TAGS_PAGE] = renderer.tags_page()
        card_markdown, card_html, reports = cards.card_pages(renderer, config.site_url or "")
        generated.update(category_markdown)
        generated.update(card_markdown)
        if self.handbook.history:
            generated[urls.CHANGES_PAGE] = renderer.changes_page(self.handbook.history)
        self.slots = {**category_html, **card_html}
        for report in reports:
            # An editor's explicit size that does not fit is a warning (an error under --strict).
            (log.warning if report.explicit else log.info)(report.message())
        if self.huashu_search:
            generated[urls.SEARCH_PAGE] = renderer.render("search.md.jinja", urls.SEARCH_PAGE)
            generated[urls.MISSES_PAGE] = renderer.misses_page()
        for src_uri, content in generated.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/{src_uri} 与自动生成的页面同名，请改名或删除")
            files.append(File.generated(config, src_uri, content=content))
        return files

    def fill_slots(self, html: str, src_uri: str) -> str:
        """Put the entries' or cards' HTML into a page, once per build.

        On the finished page (after the theme), so neither Python-Markdown nor the page
        objects MkDocs keeps for the whole build ever hold it: at 100,000 entries that
        is most of a build's time and memory. With Material's own search switched on,
        on the converted content instead, so that search indexes the entries.
        """
        slots = self.slots.pop(src_uri, None)
        return html if slots is None else pages.fill_slots(html, slots)

    def fill_slots_in_content(self, html: str, src_uri: str) -> str:
        return html if self.huashu_search else self.fill_slots(html, src_uri)

    def fill_slots_in_page(self, html: str, src_uri: str) -> str:
        return self.fill_slots(html, src_uri) if self.huashu_search else html

    def write_search_index(self) -> None:
        if self.huashu_search:
            folder = Path(self.config.site_dir) / SEARCH_DATA_FOLDER
            library = self.handbook.library
            search_index.write_index(library, folder, self.config.use_directory_urls, self.settings.lazy_index_bytes)


class Session:
    """One MkDocs process: `mkdocs build` makes one Build, `mkdocs serve` one per change."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: Handbook | None = None
        self.build: Build | None = None

    def start(self, command: str) -> None:
        self.serving = command == "serve"

    def current(self) -> Build:
        assert self.build is not None, "on_config makes the build before any later event"
        return self.build

    def configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load the library for a new build; a broken library stops the build with every message.

        Under `mkdocs serve`, once a build has succeeded, a broken library does not stop
        the build: the errors go to the terminal and to a banner on every page, and the
        pages are built from the last library that was valid. (A failed rebuild would
        leave MkDocs' dev server holding every page request until the next good one.)
        """
        settings = read_settings(config)
        if str(settings.library) not in config.watch:
            config.watch.append(str(settings.library))
        config.extra["huashu_search"] = not settings.stock_search
        # Pairs, not a mapping: templates stay free of Python method calls.
        config.extra["huashu_kinds"] = [[kind, title] for kind, title in model.KIND_TITLES.items()]
        config.extra["huashu_channels"] = [[channel, title] for channel, title in model.CHANNEL_TITLES.items()]
        config.extra[BUILD_ERRORS_KEY] = []
        try:
            library = load_library(settings.library, base=Path(config.config_file_path).parent)
        except LibraryInvalid as exc:
            if not (self.serving and self.last_good is not None):
                # PluginError is printed by MkDocs as a plain message, without a traceback.
                raise PluginError("话术库校验失败：\n" + exc.report()) from None
            # Not through MkDocs' logger: under `strict` any warning would fail the build.
            print(_SERVE_ERROR_BANNER + exc.report() + _SERVE_ERROR_HINT, file=sys.stderr, flush=True)
            config.extra[BUILD_ERRORS_KEY] = [str(e) for e in split_warnings(exc.errors)[0]]  # the banner counts them
            handbook = self.last_good
        else:
            for warning in library.warnings:
                log.warning(str(warning))  # under --strict, like every warning, it fails the build
            handbook = self.last_good = Handbook(library, changes.recent_changes(settings.library) or [])
        self.build = Build(config, settings, handbook)
        self.build.set_navigation()
        return config

    def harden_page(self, html: str, name: str) -> str:
        """A Content-Security-Policy on every built page; not under `mkdocs serve`, whose
        live-reload script is inline and added after the build."""
        scripts = csp.inline_scripts(html)  # once per page: card pages run to megabytes
        for script in csp.unknown_inline_scripts(html, scripts):
            log.warning(f"{name} 含有来历不明的内联脚本（已被内容安全策略禁止执行）：{script[:80]!r}")
        # Not on the stock-search build either: it exists for benchmarks, where Pagefind is
        # run over its pages and needs WebAssembly, which the policy does not allow.
        if self.serving or not self.current().huashu_search:
            return html
        return csp.add_policy(html, scripts)


_SERVE_ERROR_BANNER = "ERROR   -  话术库校验失败：\n"
_SERVE_ERROR_HINT = (
    "\n预览服务器继续提供上一次成功构建的页面（页面顶部列出了这些错误）；改好文件并保存后会自动重新构建。"
)
