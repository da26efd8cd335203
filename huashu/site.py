"""MkDocs wiring: what the hook needs, kept out of the hook so it stays a few lines.

Every function here takes MkDocs objects, calls a pipeline stage and hands the
result back to MkDocs; no content logic lives here.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from huashu import pages
from huashu.errors import LibraryInvalid
from huashu.model import Library
from huashu.validate import load_library

LIBRARY_FOLDER = "scripts_library"


def library_dir(config: MkDocsConfig) -> Path:
    """The library beside mkdocs.yml, or the folder named by $HUASHU_LIBRARY."""
    project = Path(config.config_file_path).parent
    return project / os.environ.get("HUASHU_LIBRARY", LIBRARY_FOLDER)


def load_for_site(config: MkDocsConfig) -> Library:
    """Load the library for a build; a broken library stops the build with every message."""
    folder = library_dir(config)
    if str(folder) not in config.watch:
        config.watch.append(str(folder))
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
    for src_uri, content in renderer.pages().items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            raise PluginError(f"docs/{src_uri} 与自动生成的页面同名，请改名或删除")
        files.append(File.generated(config, src_uri, content=content))
    return files
