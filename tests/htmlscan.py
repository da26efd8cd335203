"""A tiny HTML reader for tests: elements with attributes and text, via the standard library."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    classes: set[str] = field(default_factory=set)
    inner: list[Element] = field(default_factory=list, repr=False)  # descendants, in document order

    def find_all(self, tag: str) -> list[Element]:
        return [e for e in self.inner if e.tag == tag]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, values, classes=set(values.get("class", "").split()))
        self.elements.append(element)
        for ancestor in self.open:
            ancestor.inner.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


@functools.lru_cache(maxsize=256)
def parse(path: Path) -> list[Element]:
    """Elements of an HTML file in document order (cached: site files are not changed by tests)."""
    return parse_html(path.read_text(encoding="utf-8"))


def parse_html(html: str) -> list[Element]:
    collector = _Collector()
    collector.feed(html)
    return collector.elements


def with_class(elements: list[Element], cls: str) -> list[Element]:
    return [e for e in elements if cls in e.classes]
