"""Where every generated page lives, and links between them: computed here only.

Pages, the search index and cards all link to entries and categories; they ask
this module, so a page moved is moved everywhere at once.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass

from huashu.model import Category, Entry, Library

HOME_PAGE = "index.md"
TAGS_PAGE = "tags/index.md"
SEARCH_PAGE = "search/index.md"
CARDS_PAGE = "cards/index.md"
REVIEW_PAGE = "review/index.md"
CHANGES_PAGE = "changes/index.md"
MISSES_PAGE = "misses/index.md"  # searches that found nothing, kept in the agent's browser
# Every page the site makes itself besides the library's categories.
SITE_PAGES = (HOME_PAGE, TAGS_PAGE, SEARCH_PAGE, CARDS_PAGE, REVIEW_PAGE, CHANGES_PAGE, MISSES_PAGE)
# Top-level folders of the theme (Material's assets, the 404 page) and of the hand-written guide.
THEME_FOLDERS = ("assets", "stylesheets", "javascripts", "404", "guide")
# Category ids become top-level URL folders: these are taken by the site itself.
RESERVED_CATEGORY_IDS = frozenset({page.split("/")[0] for page in SITE_PAGES if "/" in page} | set(THEME_FOLDERS))


def category_page(category: Category) -> str:
    return f"{category.id}/index.md"


def entry_page(entry: Entry, library: Library) -> str:
    """The page an entry is on (its anchor is its id)."""
    return category_page(library.category_by_id[entry.category])


def card_page(run: str, pinyin_on: bool) -> str:
    """Source URI of the cards page for one print run: cards/, cards/a6/, cards/a4-4up-pinyin/ ..."""
    name = "-".join(part for part in ("" if run == "auto" else run, "pinyin" if pinyin_on else "") if part)
    return f"cards/{name}/index.md" if name else CARDS_PAGE


def site_path(src_uri: str) -> str:
    """The path of a page under the site root with directory URLs ("greetings/")."""
    return src_uri[: -len("index.md")]


@dataclass(frozen=True)
class PageLinks:
    """Relative links between generated pages, for either MkDocs URL style."""

    use_directory_urls: bool = True

    def link(self, from_uri: str, to_uri: str, anchor: str = "") -> str:
        """Link from one generated page's source URI to another's, with an optional anchor."""
        relative = _relative_link(from_uri, to_uri, self.use_directory_urls)
        return f"{relative}#{anchor}" if anchor else relative


@functools.lru_cache(maxsize=65536)  # a handful of pages link to each other millions of times
def _relative_link(from_uri: str, to_uri: str, use_directory_urls: bool) -> str:
    base = posixpath.dirname(from_uri) or "."
    if use_directory_urls:
        return posixpath.relpath(posixpath.dirname(to_uri) or ".", base) + "/"
    return posixpath.relpath(to_uri[: -len(".md")] + ".html", base)
