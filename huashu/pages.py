"""Stage 3, render pages: the library as Markdown pages for MkDocs, nothing written to disk.

Headings are Markdown (so MkDocs builds the table of contents and anchors);
entry bodies are HTML from autoescaping Jinja templates, so editor text is
always shown as text, never interpreted as Markup.
"""

from __future__ import annotations

import datetime
import hashlib
import re

import jinja2
from markupsafe import Markup, escape

from huashu import model, review
from huashu.model import Category, Entry, Library
from huashu.urls import (
    CARDS_PAGE,
    CHANGES_PAGE,
    HOME_PAGE,
    MISSES_PAGE,
    REVIEW_PAGE,
    SEARCH_PAGE,
    TAGS_PAGE,
    PageLinks,
    category_page,
    entry_page,
)

_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_ANCHOR_UNSAFE = re.compile(r"[^\w-]|_")  # "_" too: Markdown reads _x_ as emphasis


# Where a generated page's HTML goes once the rest of the page is built (see fill_slots).
_SLOT = re.compile(r'<div class="hs-slot" data-slot="(\d+)"></div>')


def fill_slots(html: str, slots: list[str | list[str]]) -> str:
    """Put each slot's HTML (a string, or pieces to join) in place of its marker.

    One join of every piece: a print run's page is hundreds of megabytes at 100,000 entries,
    and each intermediate string (a slot joined, then substituted) would be another copy."""
    parts: list[str] = []
    end = 0
    for match in _SLOT.finditer(html):
        parts.append(html[end : match.start()])
        content = slots[int(match.group(1))]
        parts += [content] if isinstance(content, str) else content
        end = match.end()
    parts.append(html[end:])
    return "".join(parts)


def plain_title(text: str) -> str:
    """A title MkDocs and the theme print without escaping (navigation, <title>): the three
    characters that could make markup become their full-width forms, so a title is only text."""
    return text.replace("&", "＆").replace("<", "＜").replace(">", "＞")


def tag_anchor(tag: str) -> str:
    """A tag's anchor on the tags page: letters of any script, digits and "-" only.

    The anchor is written into a Markdown attribute list (`## 标签 { #tag-标签 }`), where
    any other character ends the list and lets Markdown read the rest of the line, a tag
    like `[t](http://x)` becoming a link. Such a tag keeps its safe characters and gets a
    short hash of itself, so two tags differing only in the others stay apart.
    """
    words = re.sub(r"\s+", "-", tag.strip())
    safe = _ANCHOR_UNSAFE.sub("", words)
    if safe == words:
        return "tag-" + safe
    digest = hashlib.sha256(tag.encode("utf-8")).hexdigest()[:8]
    return f"tag-{safe}-{digest}" if safe else f"tag-{digest}"


def markdown_heading_text(text: str) -> Markup:
    """Text safe inside a Markdown heading: on one line, ASCII punctuation as numeric entities.

    Markdown would otherwise read `*`, `_`, `[`, `{` or `<` in a title as markup, and a line
    break would end the heading and start a paragraph, list or heading of its own.
    """
    one_line = " ".join(text.split())
    return Markup(_ASCII_PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", one_line))


def paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs: blank lines split paragraphs, newlines become <br>."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(b).split("\n"))) for b in blocks)


def mark_placeholders(text: str) -> Markup:
    """Escaped text with `{占位符}` wrapped so the reader sees what to fill in."""
    escaped = str(escape(text))
    return Markup(re.sub(model.PLACEHOLDER_PATTERN, r'<span class="hs-ph">{\1}</span>', escaped))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("huashu", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        heading=markdown_heading_text,
        paragraphs=paragraphs,
        placeholders=mark_placeholders,
        plain_title=plain_title,
        tag_anchor=tag_anchor,
    )
    env.globals.update(
        CHANNEL_TITLES=model.CHANNEL_TITLES,
        SECTION_TITLES=model.SECTION_TITLES,
        KIND_TITLES=model.KIND_TITLES,
    )
    return env


class PageRenderer:
    """Renders every generated page of one library."""

    def __init__(self, library: Library, links: PageLinks, today: datetime.date | None = None):
        self.library = library
        self.links = links
        self.today = today or review.today()
        self.env = _environment()

    def entry_link(self, from_uri: str, entry_id: str) -> str:
        entry = self.library.by_id[entry_id]
        return self.links.link(from_uri, entry_page(entry, self.library), entry.id)

    def context(self, page_uri: str) -> dict[str, object]:
        """What every template may use, for a page at `page_uri`."""
        return {
            "library": self.library,
            "page_uri": page_uri,
            "link": lambda to_uri, anchor="": self.links.link(page_uri, to_uri, anchor),
            "entry_link": lambda entry_id: self.entry_link(page_uri, entry_id),
            "category_page": category_page,
            "tags_page": TAGS_PAGE,
            "review_page": REVIEW_PAGE,
            "review_status": lambda entry: review.review_status(entry, self.today),
        }

    def render(self, template: str, page_uri: str, **context: object) -> str:
        return self.env.get_template(template).render(**self.context(page_uri), **context)

    def pages(self) -> dict[str, str]:
        """The generated pages other than category and card pages, as {src_uri: markdown}."""
        result = {HOME_PAGE: self.render("home.md.jinja", HOME_PAGE)}
        result[REVIEW_PAGE] = self.render("review.md.jinja", REVIEW_PAGE, **self.review_context())
        return result

    def misses_page(self) -> str:
        """搜索未命中: an empty frame the browser fills from its own storage (assets/search/misses.js)."""
        return self.render("misses.md.jinja", MISSES_PAGE, search_link=self.links.link(MISSES_PAGE, SEARCH_PAGE))

    def changes_page(self, commits: list) -> str:
        return self.render("changes.md.jinja", CHANGES_PAGE, commits=commits)

    def review_context(self) -> dict[str, object]:
        statuses = [review.review_status(e, self.today) for e in self.library.entries]
        return {
            "today": self.today,
            "overdue": review.by_owner([s for s in statuses if s.overdue]),
            "soon": review.by_owner([s for s in statuses if s.soon]),
            "soon_days": review.SOON_DAYS,
        }

    def tags_page(self) -> tuple[str, list[str]]:
        """The tag index as Markdown (a heading per tag, for anchors) and each tag's entry list."""
        entry_list = self.env.get_template("_tag_entries.html.jinja")
        context = self.context(TAGS_PAGE)
        lists = [entry_list.render(**context, entries=entries) for entries in self.library.tags().values()]
        return self.render("tags.md.jinja", TAGS_PAGE), lists

    def category_pages(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Each category page as Markdown (headings, for the table of contents and
        anchors, and one slot per entry) and the entries' HTML for the slots."""
        markdown: dict[str, str] = {}
        html: dict[str, list[str]] = {}
        for category in self.library.categories:
            uri = category_page(category)
            entries: list[Entry] = self.library.entries_in(category.id)
            markdown[uri] = self.render("category.md.jinja", uri, category=category, entries=entries)
            render_entry = self.env.get_template("_entry.html.jinja").make_module(self.context(uri))
            html[uri] = [str(getattr(render_entry, entry.kind)(entry)) for entry in entries]
        return markdown, html


def _section_items(categories: list[Category]) -> list:
    """A section's categories; those with a `group` gathered under it, where its first one stands."""
    items: list = []
    groups: dict[str, list] = {}
    for category in categories:
        link = {plain_title(category.title): category_page(category)}
        if not category.group:
            items.append(link)
            continue
        if category.group not in groups:
            groups[category.group] = []
            items.append({plain_title(category.group): groups[category.group]})
        groups[category.group].append(link)
    return items


def navigation(
    library: Library, extra_nav: list | None = None, with_changes: bool = False, with_misses: bool = False
) -> list:
    """The site navigation: home, the library by section, tags, review, missed searches, changes,
    cards, then hand-written pages."""
    nav: list = [{"首页": HOME_PAGE}]
    for section, title in model.SECTION_TITLES.items():
        categories = library.categories_in(section)
        if categories:
            nav.append({title: _section_items(categories)})
    nav.append({"标签索引": TAGS_PAGE})
    nav.append({"待复核": REVIEW_PAGE})
    if with_misses:
        nav.append({"搜索未命中": MISSES_PAGE})
    if with_changes:
        nav.append({"最近更新": CHANGES_PAGE})
    nav.append({"打印卡片": CARDS_PAGE})
    return nav + list(extra_nav or [])
