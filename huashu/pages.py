"""Stage 3, render pages: the library as Markdown pages for MkDocs, nothing written to disk.

Headings are Markdown (so MkDocs builds the table of contents and anchors);
entry bodies are HTML from autoescaping Jinja templates, so editor text is
always shown as text, never interpreted as Markup.
"""

from __future__ import annotations

import datetime
import functools
import html
import posixpath
import re
from dataclasses import dataclass

import jinja2
from markupsafe import Markup, escape

from huashu import model, review
from huashu.cards import PRINT_RUNS, build_cards, ruby_pairs
from huashu.model import Category, Entry, Library

HOME_PAGE = "index.md"
TAGS_PAGE = "tags/index.md"
SEARCH_PAGE = "search/index.md"
CARDS_PAGE = "cards/index.md"
REVIEW_PAGE = "review/index.md"
CHANGES_PAGE = "changes/index.md"
# The default @page of a single-size print run (the "auto" run uses named pages per card);
# the same sizes and margins as overrides/assets/cards.css.
PAGE_RULES = {
    "a6": Markup("@page { size: 105mm 148mm; margin: 6mm; }"),
    "a5": Markup("@page { size: 148mm 210mm; margin: 9mm; }"),
    "a4-4up": Markup("@page { size: 210mm 297mm; margin: 0; }"),
}

_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


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


def category_page(category: Category) -> str:
    return f"{category.id}/index.md"


# Where a generated page's HTML goes once the rest of the page is built (see fill_slots).
_SLOT = re.compile(r'<div class="hs-slot" data-slot="(\d+)"></div>')


def fill_slots(html: str, slots: list[str | list[str]]) -> str:
    """Put each slot's HTML (a string, or pieces to join) in place of its marker."""

    def slot(match: re.Match[str]) -> str:
        content = slots[int(match.group(1))]
        return content if isinstance(content, str) else "".join(content)

    return _SLOT.sub(slot, html)


def plain_title(text: str) -> str:
    """A title MkDocs and the theme print without escaping (navigation, <title>): the three
    characters that could make markup become their full-width forms, so a title is only text."""
    return text.replace("&", "＆").replace("<", "＜").replace(">", "＞")


def tag_anchor(tag: str) -> str:
    return "tag-" + re.sub(r"\s+", "-", tag.strip())


def card_page(run: str, pinyin_on: bool) -> str:
    """Source URI of the cards page for one print run: cards/, cards/a6/, cards/a4-4up-pinyin/ ..."""
    name = "-".join(part for part in ("" if run == "auto" else run, "pinyin" if pinyin_on else "") if part)
    return f"cards/{name}/index.md" if name else CARDS_PAGE


@functools.cache
def ruby_text(text: str, on: bool) -> Markup:
    """Escaped text; with `on`, each run of hanzi in one <ruby> with every character's pinyin.

    One <ruby> per run rather than per character halves the markup of a pinyin card
    (large libraries print tens of thousands). Built as a plain string, then one Markup:
    Markup.format per character costs ten times more. Cached while the cards of one
    build are rendered (A6 and A5 print the same lines), then cleared.
    """
    if not on:
        return escape(text)
    parts = []
    in_ruby = False
    for char, reading in ruby_pairs(text):
        safe = html.escape(char, quote=False)
        if reading:
            parts.append(f"{'' if in_ruby else '<ruby>'}{safe}<rt>{reading}</rt>")
            in_ruby = True
        else:
            parts.append(f"</ruby>{safe}" if in_ruby else safe)
            in_ruby = False
    if in_ruby:
        parts.append("</ruby>")
    return Markup("".join(parts))


def markdown_heading_text(text: str) -> Markup:
    """Text safe inside a Markdown heading: ASCII punctuation as numeric entities.

    Markdown would otherwise read `*`, `_`, `[`, `{` or `<` in a title as markup.
    """
    return Markup(_ASCII_PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text))


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
        ruby=ruby_text,
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
        return self.links.link(from_uri, category_page(self.library.category_by_id[entry.category]), entry.id)

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

    def card_pages(self, site_url: str = "") -> tuple[dict[str, str], dict[str, list[str | list[str]]], list]:
        """Every print run's cards page: its Markdown (with a slot), the HTML for the slot,
        and what fitting had to do (from the "auto" run). The cards stay out of the Markdown:
        Python-Markdown is slow on megabytes of raw HTML, and has nothing to do there.
        Each card is laid out and rendered once, however many runs print it the same way."""
        variants = [("auto", "按卡片设置"), ("a6", "A6"), ("a5", "A5"), ("a4-4up", "A4 四合一")]
        markdown: dict[str, str] = {}
        html: dict[str, list[str | list[str]]] = {}
        reports: list = []
        fits: dict = {}
        rendered: dict[tuple, str] = {}
        card_template = self.env.get_template("_card.html.jinja")

        def card_html(card) -> str:  # type: ignore[no-untyped-def]
            key = (card.id, card.part, card.parts, card.size, card.font_pt, card.pinyin)
            if key not in rendered:
                rendered[key] = card_template.render(card=card, short_link=self.short_link(card, site_url))
            return rendered[key]

        for run in PRINT_RUNS:
            for pinyin_on in (False, True):
                cards, fit = build_cards(self.library, run, pinyin_on, fits)
                if run == "auto" and not pinyin_on:
                    reports = fit
                sheets = (
                    [cards[i : i + 4] for i in range(0, len(cards), 4)] if run == "a4-4up" else [[c] for c in cards]
                )
                uri = card_page(run, pinyin_on)
                markdown[uri] = self.render(
                    "cards.md.jinja",
                    uri,
                    run=run,
                    pinyin_run=pinyin_on,
                    cards=cards,
                    sheets=sheets,
                    variants=variants,
                    variant_page=card_page,
                )
                page_rule = PAGE_RULES[run if run != "auto" else (cards[0].size if cards else "a6")]
                # Print copies of the handbook's content: kept out of site-search tools such as Pagefind.
                opening = f'<div class="hs-cards hs-cards--{run}" data-run="{run}" data-pagefind-ignore="all">'
                parts = [f"<style>{page_rule}</style>", opening]
                for sheet in sheets:
                    sheet_size = "a4-4up" if run == "a4-4up" else sheet[0].size
                    parts.append(f'<div class="hs-sheet hs-sheet--{sheet_size}">')
                    parts += [card_html(card) for card in sheet]
                    parts.append("</div>")
                parts.append("</div>")
                html[uri] = [parts]  # joined when the page is written: cards are shared between runs
        ruby_text.cache_clear()
        return markdown, html, reports

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

    def short_link(self, card, site_url: str) -> str:
        """Where the card's first entry lives online: a full URL when site_url is set."""
        entry = card.entries[0]
        path = category_page(self.library.category_by_id[entry.category])[: -len("index.md")] + "#" + entry.id
        return site_url.rstrip("/") + "/" + path if site_url else path


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


def navigation(library: Library, extra_nav: list | None = None, with_changes: bool = False) -> list:
    """The site navigation: home, the library by section, tags, review, changes, cards, then hand-written pages."""
    nav: list = [{"首页": HOME_PAGE}]
    for section, title in model.SECTION_TITLES.items():
        categories = library.categories_in(section)
        if categories:
            nav.append({title: _section_items(categories)})
    nav.append({"标签索引": TAGS_PAGE})
    nav.append({"待复核": REVIEW_PAGE})
    if with_changes:
        nav.append({"最近更新": CHANGES_PAGE})
    nav.append({"打印卡片": CARDS_PAGE})
    return nav + list(extra_nav or [])
