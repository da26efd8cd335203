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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, is_error_template

from huashu import cards, changes, csp, load_library, model, pages, review, search_index, urls
from huashu.errors import LibraryInvalid, split_warnings
from huashu.filewrite import write_failure_reason
from huashu.load import DEFAULT_LIBRARY
from huashu.model import Library
from huashu.staging import StagedSite, StagingError

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
    # A QR code of each card's page on printed cards (needs mkdocs.yml's site_url).
    Setting("card_qr", "HUASHU_CARD_QR", False),
)
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


@dataclass(frozen=True)
class Settings:
    library: Path
    lazy_index_bytes: int
    # Material's own search instead of huashu's: mkdocs.yml enables Material's plugin
    # from HUASHU_STOCK_SEARCH, for side-by-side benchmarks.
    stock_search: bool
    card_qr: bool = False


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
    card_qr = _flag(*values["card_qr"])
    if card_qr and not config.site_url:
        raise PluginError(
            f"{values['card_qr'][1]} 要在卡片上印二维码，需要完整网址：请在 mkdocs.yml 里设置 site_url"
            "（如 site_url: https://kb.example.com/huashu/），或去掉这项设置"
        )
    return Settings(project / str(values["library"][0]), int(str(lazy).strip()), stock, card_qr)


def _flag(value: Any, where: str) -> bool:
    """A yes/no setting: YAML's true/false, or true/false/1/0 from the environment."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in _TRUE + _FALSE:
        raise PluginError(f"{where} 应为 true 或 false，实际是“{value}”")
    return text in _TRUE


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
    # The theme's inline scripts by page base URL, the theme's templates that make them, and
    # the files they have been moved to (see theme_scripts and place_theme_script).
    _theme_scripts: dict[str, frozenset[str]] = field(default_factory=dict)
    _theme_env: Any = None
    _theme_files: set[str] = field(default_factory=set)

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
        printing = cards.CardPrinting(review.today(), config.site_url or "", self.settings.card_qr)
        card_markdown, card_html, card_data, reports = cards.card_pages(renderer, printing)
        generated.update(category_markdown)
        generated.update(card_markdown)
        generated.update(card_data)
        if self.handbook.history:
            generated[urls.CHANGES_PAGE] = renderer.changes_page(self.handbook.history)
        self.slots = {**category_html, **card_html}
        for report in reports:
            log_fit_report(report)
        if self.huashu_search:
            generated[urls.SEARCH_PAGE] = renderer.render("search.md.jinja", urls.SEARCH_PAGE)
            generated[urls.MISSES_PAGE] = renderer.misses_page()
        in_nav = set(_nav_pages(config.nav))
        for src_uri, content in generated.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/{src_uri} 与自动生成的页面同名，请改名或删除")
            # Pages reached by links, not the menu (print runs, search): said so, or MkDocs
            # lists them on every build as if the editor had forgotten them.
            inclusion = InclusionLevel.UNDEFINED if src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
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

    def theme_scripts(self, base_url: str) -> frozenset[str]:
        """The inline scripts the theme writes into a page at `base_url`, exactly: its
        partials/javascripts/ templates rendered as the theme renders them."""
        if base_url not in self._theme_scripts:
            if self._theme_env is None:
                self._theme_env = self.config.theme.get_env()
            env = self._theme_env
            context = {"config": self.config, "base_url": base_url, "features": self.config.theme.get("features", [])}
            names = env.list_templates(filter_func=lambda name: name.startswith("partials/javascripts/"))
            scripts = (csp.inline_scripts(env.get_template(name).render(context)) for name in names)
            self._theme_scripts[base_url] = frozenset(script for found in scripts for script in found)
        return self._theme_scripts[base_url]

    def place_theme_script(self, script: str, base_url: str) -> str:
        """Write a theme script to its file in the site (once); its URL from a page at `base_url`."""
        path = csp.theme_script_file(script)
        if path not in self._theme_files:
            target = Path(self.config.site_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(script, encoding="utf-8")
            self._theme_files.add(path)
        return f"{base_url.rstrip('/')}/{path}"

    def write_search_index(self) -> None:
        if self.huashu_search:
            folder = Path(self.config.site_dir) / SEARCH_DATA_FOLDER
            library = self.handbook.library
            search_index.write_index(library, folder, self.config.use_directory_urls, self.settings.lazy_index_bytes)


def log_fit_report(report: cards.FitReport) -> None:
    """The layout an editor asked for (a card's own size and pinyin) that does not fit is a
    warning (an error under --strict); what the default print run had to do is told; other
    runs' reports are for `huashu cards`, which prints those of the run it exports."""
    if report.explicit:
        log.warning(report.message())
    elif ("auto", False) in report.runs:
        log.info(report.message())
    else:
        log.debug(report.message())


def _nav_pages(nav: Any) -> Iterator[str]:
    """Every page a navigation (mkdocs.yml's nested lists and titled entries) names."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)


class Session:
    """One MkDocs process: `mkdocs build` makes one Build, `mkdocs serve` one per change."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: Handbook | None = None
        self.build: Build | None = None
        # Whether builds write into a staging folder that replaces the site whole. Not for
        # `--dirty` builds (they reuse the pages already there), nor for `mkdocs serve`
        # (its folder is a private temporary one), nor for builds called from Python (PDFs).
        self.stage_builds = False
        self.staged: StagedSite | None = None

    def start(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.stage_builds = command in ("build", "gh-deploy") and not dirty

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
            handbook = self.last_good = Handbook(
                library, changes.recent_changes(settings.library, on_skip=log.info) or []
            )
        self.build = Build(config, settings, handbook)
        self.build.set_navigation()
        if self.stage_builds:
            try:
                self.staged = StagedSite(Path(config.site_dir), log.info)
            except StagingError as exc:
                raise PluginError(str(exc)) from None
            config.site_dir = str(self.staged.staging)
        return config

    def finish(self) -> None:
        """Every page is written: the search index, then the whole site into place."""
        build = self.current()
        build.write_search_index()
        if self.staged is not None:
            staged, self.staged = self.staged, None
            try:
                staged.publish()
            except StagingError as exc:
                raise PluginError(str(exc)) from None
            build.config.site_dir = str(staged.site_dir)  # for what runs after the build (gh-deploy)

    def abandon(self, error: BaseException) -> None:
        """A build that failed: its staging folder goes, the last complete site stays.

        A failed write (disk full, no permission) is said in Chinese and ends the command,
        instead of MkDocs' traceback: under `mkdocs build` only, where nothing else runs on.
        """
        if self.staged is None:
            return
        staged, self.staged = self.staged, None
        staged.abandon()
        if isinstance(error, OSError):
            why, what_to_do = write_failure_reason(error)
            log.error(f"写入站点失败（{why}）：{staged.site_dir} 保持上一次构建的样子，没有半成品；{what_to_do}")
            raise SystemExit(1)

    def harden_page(self, html: str, page: Page) -> str:
        return self.harden(html, page.file.src_uri, get_relative_url(".", page.url))

    def harden_template(self, html: str, name: str) -> str:
        if is_error_template(name):  # served at any depth: MkDocs gives them the site's root path
            return self.harden(html, name, urlsplit(self.current().config.site_url or "/").path)
        return self.harden(html, name, get_relative_url(".", name))

    def harden(self, html: str, name: str, base_url: str) -> str:
        """No inline script but the theme's own, moved into files of the site, and the
        Content-Security-Policy on every built page. No policy under `mkdocs serve`, whose
        live-reload script is inline and added after the build."""
        build = self.current()
        moved, unknown = csp.move_theme_scripts(
            html, build.theme_scripts(base_url), lambda script: build.place_theme_script(script, base_url)
        )
        for script in unknown:
            log.warning(
                f"{name} 含有来历不明的内联脚本，已被内容安全策略禁止执行：{script[:80]!r}"
                "；脚本请写成 docs/ 里的 .js 文件，在 mkdocs.yml 的 extra_javascript 中引用"
            )
        # Not on the stock-search build either: it exists for benchmarks, where Pagefind is
        # run over its pages and needs WebAssembly, which the policy does not allow.
        if self.serving or not build.huashu_search:
            return moved
        return csp.add_policy(moved)


_SERVE_ERROR_BANNER = "ERROR   -  话术库校验失败：\n"
_SERVE_ERROR_HINT = (
    "\n预览服务器继续提供上一次成功构建的页面（页面顶部列出了这些错误）；改好文件并保存后会自动重新构建。"
)
