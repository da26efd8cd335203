"""Stage 4, search index: the search index shipped with the site, from the content model.

The index comes in two parts so a large library still shows its first results
quickly: a *head* (titles, entry metadata, the character table with every
pinyin reading, traditional-character folding) that every page loads, and
*body shards* (the words of each entry) that load right after, in the
background. Both are JavaScript files that queue their data on a global list, not
JSON fetched over HTTP, so search also works when the site is opened from disk.

Which field of a search document a text goes in follows from its role in the
model (`_SLOTS`). The matching itself happens in the browser
(overrides/assets/search/engine.js, fed by loader.js); `index_char` below and the
engine's `Folder.fold` must agree (tests/test_search_engine.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from huashu import model, urls
from huashu.model import Entry, Library, Role
from huashu.readings import all_syllables, readings_in_use, traditional_folding

# 2: a body record carries, beside the texts a result shows, what its copy key copies.
FORMAT_VERSION = 2
HEAD_FILE = "head.js"
# Characters of body text per shard: about 60 KB gzip for Chinese text.
SHARD_CHARS = 60_000
# Body shards beyond this size (bytes, before compression) load on the first search.
LAZY_BODY_BYTES = 8_000_000
SEPARATOR = "\u0000"


@dataclass(frozen=True)
class SearchDocument:
    """What search knows of one result: an entry, or a category page.

    `shown` are the texts a result shows, best first, and `copy` beside each what
    the copy key takes from it: only words said to the customer ("" when there are
    none, as in a step that only says what to do). `other` is searchable but never a
    result's text (forbidden wording, when-to-use notes, questions).
    """

    id: str
    kind: str
    title: str
    category: str
    avoid: bool
    keywords: list[str]
    shown: list[str]
    other: list[str]
    copy: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [self.title, *self.keywords, *self.shown, *self.other]


def _fold_width_and_case(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII typed with a Chinese input method
        char = chr(code - 0xFEE0)
    return char.lower() if "A" <= char <= "Z" else char


def index_char(char: str, folding: dict[str, str]) -> str:
    """The character search compares: width and case folded, traditional to simplified."""
    char = _fold_width_and_case(char)
    return folding.get(char, char)


# Where each role's texts go in a search document (titles have a field of their own).
_SLOTS = {Role.HIDDEN: "keywords", Role.SAY: "shown", Role.FORBIDDEN: "other", Role.GUIDE: "other"}


def document_for(entry: Entry, library: Library) -> SearchDocument:
    """An entry's texts sorted by role into the document's fields.

    Words said to the customer are shown and copied. A step of a procedure is shown
    whole, as on its page (what to do, its time limit, its words), and copies only its
    words. An entry with nothing to say (an FAQ with only guidance) shows its guidance
    (after the text that names it, such as the question), with nothing to copy."""
    slots: dict[str, list[str]] = {"keywords": [], "shown": [], "other": []}
    copy: list[str] = []
    steps: dict[int, tuple[list[str], list[str]]] = {}
    main = model.main_text_field(entry.kind)
    guidance: list[str] = []  # the entry's own guidance after its main text, in case it has nothing to say
    for text in model.entry_texts(entry, library.by_id):
        slot = _SLOTS.get(text.role)
        if not (slot and text.text):
            continue
        if text.role is Role.GUIDE and text.step is None and text.path != main:
            guidance.append(text.text)
        if text.step is not None and text.role in (Role.GUIDE, Role.SAY):
            shown, said = steps.setdefault(text.step, ([], []))
            shown.append(text.text)
            if text.role is Role.SAY:
                said.append(text.text)
            continue
        slots[slot].append(text.text)
        if slot == "shown":
            copy.append(text.text)
    for shown, said in steps.values():
        slots["shown"].append(" ".join(shown))
        copy.append(" ".join(said))
    if not slots["shown"] and slots["other"] and not model.is_forbidden(entry):
        shown_guidance = (guidance or slots["other"])[0]
        slots["other"].remove(shown_guidance)  # shown instead: searched once
        slots["shown"].append(shown_guidance)
        copy.append("")
    slots["keywords"].append(library.category_by_id[entry.category].title)
    return SearchDocument(
        entry.id, entry.kind, entry.title, entry.category, model.is_forbidden(entry), copy=copy, **slots
    )


def category_document(category: model.Category) -> SearchDocument:
    """A category page as a search result: agents often type the name of a list."""
    shown = [category.description] if category.description else []
    keywords = [model.SECTION_TITLES[category.section]]
    return SearchDocument(
        category.id, "category", category.title, category.id, False, keywords, shown, [], [""] * len(shown)
    )


def build_index(library: Library, use_directory_urls: bool = True) -> tuple[dict, list[dict]]:
    """The head and the body shards of the search index, as JSON-ready data."""
    documents = [document_for(e, library) for e in library.entries]
    documents += [category_document(c) for c in library.categories]
    texts = [text for doc in documents for text in doc.texts()]
    raw_chars = {char for text in texts for char in text}
    folding = traditional_folding(raw_chars)
    # Characters outside the BMP are rare and would be two units in JavaScript
    # strings; search treats them as word breaks.
    index_chars = sorted({index_char(c, folding) for c in raw_chars if c <= "\uffff"} - {SEPARATOR})
    readings = readings_in_use("".join(index_char(c, folding) for c in text) for text in texts)
    syllables = sorted({r for rs in readings.values() for r in rs} | set(all_syllables()))
    syllable_ids = {s: i for i, s in enumerate(syllables)}
    weights = _references_to(library)
    links = urls.PageLinks(use_directory_urls)
    categories = [
        {"id": c.id, "title": c.title, "url": links.link(urls.HOME_PAGE, urls.category_page(c))}
        for c in library.categories
    ]
    category_ids: dict[str, int] = {c.id: i for i, c in enumerate(library.categories)}
    shards = _shards(documents)
    head = {
        "version": FORMAT_VERSION,
        "chars": "".join(index_chars),
        "syllables": syllables,
        "readings": [[syllable_ids[r] for r in readings.get(c, ())] for c in index_chars],
        "folding": folding,
        "categories": categories,
        "kinds": RESULT_KIND_TITLES,
        "docs": {
            "id": [d.id for d in documents],
            "kind": "".join(_KIND_CODES[d.kind] for d in documents),
            "avoid": [i for i, d in enumerate(documents) if d.avoid],
            "category": [category_ids[d.category] for d in documents],
            "title": [d.title for d in documents],
            "channels": [_channel_bits(library.by_id.get(d.id)) if d.kind != "category" else 0 for d in documents],
            "weight": [min(9, weights.get(d.id, 0)) if d.kind != "category" else 0 for d in documents],
        },
        "synonyms": _synonym_table(library, folding),
        # What each {占位符} becomes when the agent leaves it empty (placeholders.yaml).
        # "" : left out, with the comma after it.
        "placeholders": {p.name: "" if p.omit else p.default for p in library.placeholder_defaults},
        "shards": [],
    }
    return head, shards


# Channels as bits (engine.js CHANNEL_BITS); 0: the entry serves every channel.
CHANNEL_BITS = {"phone": 1, "chat": 2, "counter": 4}


def _channel_bits(entry: Entry | None) -> int:
    return sum(CHANNEL_BITS[c] for c in getattr(entry, "channels", ()))


def _references_to(library: Library) -> dict[str, int]:
    """How often each entry is pointed at (related lists, procedure steps, cards): the
    entries others lead to are the ones agents need, first among equal matches."""
    counts: dict[str, int] = {}
    targets: list[str] = [ref for e in library.entries for ref in e.related]
    targets += [s.phrase for e in library.entries if isinstance(e, model.Procedure) for s in e.steps if s.phrase]
    targets += [ref for card in library.cards for ref in card.entries]
    for target in targets:
        counts[target] = counts.get(target, 0) + 1
    return counts


def _synonym_table(library: Library, folding: dict[str, str]) -> list[list]:
    """Each synonym word, folded as the index folds text, with the words it also finds."""
    table: dict[str, list[str]] = {}

    def fold(word: str) -> str:
        return "".join(index_char(c, folding) for c in word if not c.isspace())

    for synonym in library.synonyms:
        for word, others in synonym.expansions():
            found = table.setdefault(fold(word), [])
            found += [fold(o) for o in others if fold(o) not in found and fold(o) != fold(word)]
    return [[word, others] for word, others in sorted(table.items()) if others]


# What a result of each kind is called in the search panel.
RESULT_KIND_TITLES = {**model.KIND_TITLES, "category": "分类"}
# One letter per kind in the index; the engine maps them back (engine.js KIND_NAMES).
_KIND_CODES = {"phrase": "p", "procedure": "r", "faq": "f", "category": "c"}


def _shards(documents: list[SearchDocument]) -> list[dict]:
    shards: list[dict] = []
    current: list[list] = []
    size = 0
    start = 0
    for i, doc in enumerate(documents):
        # What a shown text copies: 0 when the very same text (most phrases), "" when nothing.
        copies = [0 if said == shown else said for shown, said in zip(doc.shown, doc.copy, strict=False)]
        record = [doc.keywords, doc.shown, doc.other, copies]
        current.append(record)
        size += sum(len(t) for t in doc.texts())
        if size >= SHARD_CHARS:
            shards.append({"start": start, "docs": current})
            current, size, start = [], 0, i + 1
    if current or not shards:
        shards.append({"start": start, "docs": current})
    return shards


def _script(kind: str, data: dict) -> str:
    """A data script that queues its payload: it may run before or after loader.js.

    The payload is a JSON string given to JSON.parse, which browsers read much
    faster than the same data written as a JavaScript literal.
    """
    payload = json.dumps([kind, data], ensure_ascii=False, separators=(",", ":"))
    literal = json.dumps(payload, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"(window.huashuData=window.huashuData||[]).push(JSON.parse({literal}));\n"


def write_index(
    library: Library, folder: Path, use_directory_urls: bool = True, lazy_bytes: int = LAZY_BODY_BYTES
) -> list[Path]:
    """Write head.js and the body shards into `folder`; returns the written files.

    Shard names carry a hash of their content, so a server can cache them for
    long and a rebuilt library is never mixed with stale shards.
    """
    head, shards = build_index(library, use_directory_urls)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, shard in enumerate(shards):
        text = _script("shard", {"number": number, **shard})
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        path = folder / f"body-{number}.{digest}.js"
        path.write_text(text, encoding="utf-8")
        head["shards"].append(path.name)
        written.append(path)
    # Above this much body text, shards load when someone searches, not on every page view.
    head["lazy"] = sum(p.stat().st_size for p in written) > lazy_bytes
    head_path = folder / HEAD_FILE
    head_path.write_text(_script("head", head), encoding="utf-8")
    return [head_path, *written]
