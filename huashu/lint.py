"""Lint: what a valid library may still get wrong, as warnings for editors.

Validation refuses what cannot be built; lint points at what should not be
said or kept: forbidden wording inside ordinary phrases, duplicates, phrases
too long to read off a card, stale entries, placeholders nobody explained and
scaffolding `huashu new` left unfilled. Every warning is a LibraryError with
`rule` set, located at the exact text it is about.
"""

from __future__ import annotations

import datetime
import difflib
import re
import typing
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import opencc

from huashu import cards, model, review
from huashu.errors import LibraryError
from huashu.model import Entry, Library, Phrase, Role

UNFINISHED_MARK = model.UNFINISHED_MARK
# Two phrases this similar (difflib ratio, after normalising) say the same thing.
SIMILARITY = 0.9
# Below this length only identical texts count as duplicates: short phrases
# ("好的。" / "好的！") differ in too few characters for a ratio to mean anything.
MIN_FUZZY_LENGTH = 8
# A phrase should be read at a glance: at most this share of an A6 card.
MAX_CARD_SHARE = 0.25
# Clauses of a forbidden phrase shorter than this are too common to flag ("喂").
MIN_CLAUSE_LENGTH = 3

# "不要说“我不知道”" quotes forbidden wording to warn against it: not a use of it.
_QUOTED_AS_FORBIDDEN = re.compile(r"(不要|不能|不可|不许|不准|别|切忌|忌|避免|禁止|不)(再)?(说|讲|用|回答)$")
_CLAUSE_SPLIT = re.compile(r"[，。！？；、,.!?;:：…\s]+")
_PLACEHOLDER = re.compile(model.PLACEHOLDER_PATTERN)
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Spoken:
    """A piece of text an agent says, with where it sits in its entry."""

    entry: Entry
    path: str  # inside the entry, e.g. "variants[1]" or "steps[2].say"
    text: str


def fold(text: str) -> str:
    """Text compared by meaning: simplified, full-width folded, lower case, no punctuation or spaces."""
    simplified = _TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", text)).lower()
    return "".join(c for c in simplified if not unicodedata.category(c).startswith(("P", "Z", "S", "C")))


def spoken_texts(library: Library) -> Iterator[Spoken]:
    """Everything written in the library to be said to a customer (references not followed)."""
    for entry in library.entries:
        for text in model.entry_texts(entry):
            if text.role is Role.SAY and text.text:
                yield Spoken(entry, text.path, text.text)


def _wording(entry: Phrase) -> Iterator[model.EntryText]:
    """A phrase's own wording (text and variants): what forbidden or duplicate wording is about."""
    for text in model.entry_texts(entry):
        if text.role in (Role.SAY, Role.FORBIDDEN) and text.path.split("[")[0] in _WORDING_FIELDS:
            yield text


# The fields whose role turns to FORBIDDEN in an avoid entry are a phrase's own wording.
_WORDING_FIELDS = frozenset(t.name for t in model.text_fields(Phrase) if t.avoid_role is not None)


# --- rules ---------------------------------------------------------------------
# Each rule yields (entry or other record, path inside it, message).
Finding = tuple[Entry | model.Synonym, str, str]


def forbidden_words(library: Library) -> dict[str, Phrase]:
    """Folded forbidden wording → the forbidden phrase it comes from."""
    words: dict[str, Phrase] = {}
    for entry in library.entries:
        if isinstance(entry, Phrase) and entry.avoid:
            candidates = entry.detect or [c for t in _wording(entry) for c in _CLAUSE_SPLIT.split(t.text)]
            for candidate in candidates:
                word = fold(candidate)
                if len(word) >= (1 if entry.detect else MIN_CLAUSE_LENGTH):
                    words.setdefault(word, entry)
    return words


def check_forbidden_wording(library: Library, _today: datetime.date) -> Iterator[Finding]:
    words = forbidden_words(library)
    if not words:
        return
    # One alternation, longest first, so "我不能给您办" wins over "我不能".
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
    for spoken in spoken_texts(library):
        folded = fold(spoken.text)
        match = next(
            (m for m in pattern.finditer(folded) if not _QUOTED_AS_FORBIDDEN.search(folded[: m.start()])), None
        )
        if match:
            source = words[match.group(0)]
            yield (
                spoken.entry,
                spoken.path,
                f"含有服务忌语“{match.group(0)}”（见 {source.id}：{source.text}），建议说：{source.instead}",
            )


def check_near_duplicates(library: Library, _today: datetime.date) -> Iterator[Finding]:
    """Phrase texts and variants that say the same; each reported once, at the later one."""
    texts = [(spoken, fold(spoken.text)) for spoken in _phrase_texts(library)]
    texts = [(spoken, folded) for spoken, folded in texts if folded]
    # How many texts each bigram occurs in: candidates are found through the rarest ones.
    frequency: Counter[str] = Counter(b for _, folded in texts for b in set(_bigrams(folded)))
    seen: list[tuple[str, set[str], Spoken]] = []
    exact: dict[tuple[bool, str], Spoken] = {}
    by_bigram: dict[tuple[bool, str], list[int]] = defaultdict(list)
    for spoken, folded in texts:
        avoid = typing.cast(Phrase, spoken.entry).avoid
        bigrams = set(_bigrams(folded))
        earlier = exact.get((avoid, folded))
        if earlier is None and len(folded) >= MIN_FUZZY_LENGTH:
            earlier = _similar_earlier(folded, bigrams, avoid, seen, by_bigram, frequency)
        if earlier is not None:
            if "near-duplicate" not in earlier.entry.lint_ignore:  # a pair kept on purpose, from either side
                how = "相同" if fold(earlier.text) == folded else "几乎相同"
                where = "本条" if earlier.entry is spoken.entry else f" {earlier.entry.id} "
                yield spoken.entry, spoken.path, f"与{where}的 {earlier.path} {how}：“{earlier.text}”"
            continue
        exact[(avoid, folded)] = spoken
        for bigram in _rarest(bigrams, frequency):
            by_bigram[(avoid, bigram)].append(len(seen))
        seen.append((folded, bigrams, spoken))


def _phrase_texts(library: Library) -> Iterator[Spoken]:
    for entry in library.entries:
        if isinstance(entry, Phrase):
            for text in _wording(entry):
                yield Spoken(entry, text.path, text.text)


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def _needed(bigrams: set[str]) -> float:
    """Fewer shared bigrams than this and two texts cannot reach SIMILARITY."""
    return len(bigrams) * (2 * SIMILARITY - 1)


def _rarest(bigrams: set[str], frequency: Counter[str]) -> list[str]:
    """The prefix filter of similarity joins: two texts sharing at least `_needed` bigrams
    share one of each other's rarest len - needed + 1 (with some slack for texts of
    different lengths), so only those are indexed and looked up; common bigrams (您好)
    would otherwise make every text a candidate for every other."""
    ordered = sorted(bigrams, key=lambda b: (frequency[b], b))
    slack_needed = int(_needed(bigrams) * 0.8)
    return ordered[: max(1, len(ordered) - slack_needed + 1)]


def _similar_earlier(
    folded: str,
    bigrams: set[str],
    avoid: bool,
    seen: list[tuple[str, set[str], Spoken]],
    by_bigram: dict[tuple[bool, str], list[int]],
    frequency: Counter[str],
) -> Spoken | None:
    """The first earlier text at least SIMILARITY alike; the exact ratio is computed
    only for the few texts that share enough bigrams."""
    candidates = {i for bigram in _rarest(bigrams, frequency) for i in by_bigram.get((avoid, bigram), ())}
    needed = _needed(bigrams)
    for index in sorted(candidates):
        other, other_bigrams, spoken = seen[index]
        if len(bigrams & other_bigrams) < needed:
            continue
        if difflib.SequenceMatcher(None, folded, other, autojunk=False).ratio() >= SIMILARITY:
            return spoken
    return None


def check_card_length(library: Library, _today: datetime.date) -> Iterator[Finding]:
    for entry in library.entries:
        if isinstance(entry, Phrase):
            share = cards.share_of_card(entry, library, "a6")
            if share > MAX_CARD_SHARE:
                message = (
                    f"话术太长：单独一条就占 A6 卡片的 {share:.0%}（上限 {MAX_CARD_SHARE:.0%}），"
                    "通话中难以一眼读完；请精简，或拆成几条话术"
                )
                yield entry, "text", message


def check_review_dates(library: Library, today: datetime.date) -> Iterator[Finding]:
    for entry in library.entries:
        status = review.review_status(entry, today)
        if status.overdue:
            message = (
                f"已过复核日期：上次复核 {entry.reviewed}，复核周期 {entry.review_in}，应在 {status.due} 前复核"
                f"（已超过 {-status.days_left} 天）；负责人：{entry.owner}"
            )
            yield entry, "reviewed", message


def _placeholder_uses(entry: Phrase) -> Iterator[tuple[str, str]]:
    """Placeholders in what the phrase says (or must not say), in the order written."""
    for text in model.entry_texts(entry):
        if text.role in (Role.SAY, Role.FORBIDDEN):
            for name in _PLACEHOLDER.findall(text.text):
                yield text.path, name


def check_undeclared_placeholders(library: Library, _today: datetime.date) -> Iterator[Finding]:
    for entry in library.entries:
        if isinstance(entry, Phrase):
            reported = set()
            for path, name in _placeholder_uses(entry):
                if name not in entry.placeholders and name not in reported:
                    reported.add(name)
                    yield entry, path, f"占位符 {{{name}}} 没有说明：请在 placeholders 里写上 {name}: 填什么"


def check_unused_placeholders(library: Library, _today: datetime.date) -> Iterator[Finding]:
    for entry in library.entries:
        if isinstance(entry, Phrase):
            used = {name for _, name in _placeholder_uses(entry)}
            for name in entry.placeholders:
                if name not in used:
                    yield (
                        entry,
                        f"placeholders.{name}",
                        f"占位符 {{{name}}} 在话术中没有用到，请删除这条说明或在话术里用上",
                    )


def check_unfinished(library: Library, _today: datetime.date) -> Iterator[Finding]:
    for entry in library.entries:
        for text in model.entry_texts(entry):
            if UNFINISHED_MARK in text.text:
                yield entry, text.path, f"还有“{UNFINISHED_MARK}”：请写好内容再提交"


def _searchable_corpus(library: Library) -> str:
    """Every text search looks in, folded, one per line: entries' texts of every role but metadata, and categories."""
    texts = [t.text for e in library.entries for t in model.entry_texts(e) if t.role is not Role.META]
    texts += [t.text for c in library.categories for t in model.entry_texts(c) if t.role is not Role.META]
    return "\n".join(fold(text) for text in texts)


def check_synonyms(library: Library, _today: datetime.date) -> Iterator[Finding]:
    """Synonyms that lead nowhere: a `means` word, or a whole `same` group, found in no text of the library."""
    if not library.synonyms:
        return
    corpus = _searchable_corpus(library)
    for synonym in library.synonyms:
        if synonym.same:
            if not any(fold(word) in corpus for word in synonym.same):
                words = "、".join(synonym.same)
                yield synonym, "same", f"同义词组“{words}”里没有一个词出现在话术库中，搜索它们找不到任何条目"
            continue
        for i, word in enumerate(synonym.means):
            if fold(word) not in corpus:
                yield synonym, f"means[{i}]", f"“{word}”在话术库中找不到：搜索 {'、'.join(synonym.words)} 时它帮不上忙"


CHECKS: dict[str, Callable[[Library, datetime.date], Iterator[Finding]]] = {
    "forbidden-wording": check_forbidden_wording,
    "near-duplicate": check_near_duplicates,
    "too-long-for-card": check_card_length,
    "review-overdue": check_review_dates,
    "undeclared-placeholder": check_undeclared_placeholders,
    "unused-placeholder": check_unused_placeholders,
    "unfinished": check_unfinished,
    "unknown-synonym": check_synonyms,
}
assert set(CHECKS) == set(model.LINT_RULES), "every rule the model names has a check here"


def lint_library(library: Library, today: datetime.date | None = None) -> list[LibraryError]:
    """Every warning for a validated library, in reading order, each at the field it is about.

    Args:
        today: The date review dates are checked against (default: the build's date).
    """
    today = today or review.today()
    warnings = []
    for rule, check in CHECKS.items():
        for record, path, message in check(library, today):
            if rule in getattr(record, "lint_ignore", ()):
                continue
            line, column, field_path = model.position_of(record, path)
            assert record.origin is not None
            label = f"{record.id}：" if hasattr(record, "id") else ""
            warnings.append(LibraryError(record.origin.file, line, column, field_path, label + message, rule))
    return sorted(warnings)
