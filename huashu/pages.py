"""Stage 3, render pages: the library as Markdown pages for MkDocs, nothing written to disk.

Headings are Markdown (so MkDocs builds the table of contents and anchors);
entry bodies are HTML from autoescaping Jinja templates, so editor text is
always shown as text, never interpreted as Markup.
"""

from __future__ import annotations

import datetime
import functools
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
        base = posixpath.dirname(from_uri) or "."
        if self.use_directory_urls:
            relative = posixpath.relpath(posixpath.dirname(to_uri) or ".", base) + "/"
        else:
            relative = posixpath.relpath(to_uri[: -len(".md")] + ".html", base)
        return f"{relative}#{anchor}" if anchor else relative


def category_page(category: Category) -> str:
    return f"{category.id}/index.md"


def tag_anchor(tag: str) -> str:
    return "tag-" + re.sub(r"\s+", "-", tag.strip())


def card_page(run: str, pinyin_on: bool) -> str:
    """Source URI of the cards page for one print run: cards/, cards/a6/, cards/a4-4up-pinyin/ ..."""
    name = "-".join(part for part in ("" if run == "auto" else run, "pinyin" if pinyin_on else "") if part)
    return f"cards/{name}/index.md" if name else CARDS_PAGE


@functools.cache
def ruby_text(text: str, on: bool) -> Markup:
    """Escaped text; with `on`, every hanzi in <ruby> with its pinyin above it."""
    if not on:
        return escape(text)
    return Markup("").join(
        Markup("<ruby>{}<rt>{}</rt></ruby>").format(c, r) if r else escape(c) for c, r in ruby_pairs(text)
    )


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

    def render(self, template: str, page_uri: str, **context: object) -> str:
        return self.env.get_template(template).render(
            library=self.library,
            page_uri=page_uri,
            link=lambda to_uri, anchor="": self.links.link(page_uri, to_uri, anchor),
            entry_link=lambda entry_id: self.entry_link(page_uri, entry_id),
            category_page=category_page,
            tags_page=TAGS_PAGE,
            review_page=REVIEW_PAGE,
            review_status=lambda entry: review.review_status(entry, self.today),
            **context,
        )

    def pages(self) -> dict[str, str]:
        """Every generated page as {src_uri: markdown}, in navigation order."""
        result = {HOME_PAGE: self.render("home.md.jinja", HOME_PAGE)}
        for category in self.library.categories:
            uri = category_page(category)
            entries: list[Entry] = self.library.entries_in(category.id)
            result[uri] = self.render("category.md.jinja", uri, category=category, entries=entries)
        result[TAGS_PAGE] = self.render("tags.md.jinja", TAGS_PAGE)
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

    def card_pages(self, site_url: str = "") -> tuple[dict[str, str], dict[str, str], list]:
        """Every print run's cards page: its Markdown (with a slot), the cards' HTML for the
        slot, and what fitting had to do (from the "auto" run). The cards stay out of the
        Markdown: Python-Markdown is slow on megabytes of raw HTML, and has nothing to do there."""
        variants = [("auto", "按卡片设置"), ("a6", "A6"), ("a5", "A5"), ("a4-4up", "A4 四合一")]
        markdown: dict[str, str] = {}
        html: dict[str, str] = {}
        reports: list = []
        for run in PRINT_RUNS:
            for pinyin_on in (False, True):
                cards, fit = build_cards(self.library, run, pinyin_on)
                if run == "auto" and not pinyin_on:
                    reports = fit
                sheets = (
                    [cards[i : i + 4] for i in range(0, len(cards), 4)] if run == "a4-4up" else [[c] for c in cards]
                )
                uri = card_page(run, pinyin_on)
                context = dict(
                    run=run,
                    pinyin_run=pinyin_on,
                    cards=cards,
                    sheets=sheets,
                    variants=variants,
                    variant_page=card_page,
                    page_rule=PAGE_RULES,
                    short_link=lambda card, uri=uri: self.short_link(card, uri, site_url),
                )
                markdown[uri] = self.render("cards.md.jinja", uri, **context)
                html[uri] = self.render("_cards.html.jinja", uri, **context)
        return markdown, html, reports

    def short_link(self, card, from_uri: str, site_url: str) -> str:
        """Where the card's first entry lives online: a full URL when site_url is set."""
        entry = card.entries[0]
        path = category_page(self.library.category_by_id[entry.category])[: -len("index.md")] + "#" + entry.id
        return site_url.rstrip("/") + "/" + path if site_url else path


def navigation(library: Library, extra_nav: list | None = None, with_changes: bool = False) -> list:
    """The site navigation: home, the library by section, tags, review, changes, cards, then hand-written pages."""
    nav: list = [{"首页": HOME_PAGE}]
    for section, title in model.SECTION_TITLES.items():
        categories = library.categories_in(section)
        if categories:
            nav.append({title: [{c.title: category_page(c)} for c in categories]})
    nav.append({"标签索引": TAGS_PAGE})
    nav.append({"待复核": REVIEW_PAGE})
    if with_changes:
        nav.append({"最近更新": CHANGES_PAGE})
    nav.append({"打印卡片": CARDS_PAGE})
    return nav + list(extra_nav or [])
