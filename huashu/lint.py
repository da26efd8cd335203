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
# Forbidden wording shorter than this (folded) is too common to flag ("喂！").
MIN_WORDING_LENGTH = 3
# Between the clauses of forbidden wording a real use may add a word ("叫什么叫，等一会儿").
MAX_CLAUSE_GAP = 2

# "不要说“我不知道”" quotes forbidden wording to warn against it: not a use of it.
_QUOTED_AS_FORBIDDEN = re.compile(r"(不要|不能|不可|不许|不准|别|切忌|忌|避免|禁止|不)(再)?(说|讲|用|回答)$")
_CLAUSE_SPLIT = re.compile(r"[，。！？；、,.!?;:：…\s]+")
_NEGATIONS = "不没"
# A negation followed by an adverb of time is limited to that time: "我不能马上确定" and
# "我也没办法当场确认" say "not yet" (and go on to say what happens next), not "no".
_NOT_YET = re.compile(r"马上|立刻|立即|当场|暂时|一时|现在")
# "I don't know whether…" asks politely, and "I don't know how to thank you" thanks: a negation
# followed by a question about the customer, or by thanks, is not a refusal.
_POLITE_AFTER = re.compile(r"[您你]?(是否|能否|能不能|可不可以|方不方便|有没有空|怎么感谢|该怎么感谢|如何感谢)")
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
    return folded_with_offsets(text)[0]


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """fold(text), and for each of its characters the index in `text` of the character it comes
    from: a match in folded text is shown to the editor in their own words."""
    chars, offsets = [], []
    for index, char in enumerate(text):
        for normal in unicodedata.normalize("NFKC", char):
            chars.append(normal)
            offsets.append(index)
    simplified = _TO_SIMPLIFIED.convert("".join(chars))
    # OpenCC converts some phrases as a whole; if one changed the length, convert character by character.
    pieces = list(simplified) if len(simplified) == len(chars) else [_TO_SIMPLIFIED.convert(c) for c in chars]
    folded, kept = [], []
    for piece, offset in zip(pieces, offsets, strict=True):
        for char in piece.lower():
            if not unicodedata.category(char).startswith(("P", "Z", "S", "C")):
                folded.append(char)
                kept.append(offset)
    return "".join(folded), kept


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


@dataclass(frozen=True)
class ForbiddenWording:
    """What lint looks for: each forbidden phrase's whole wording (text and each variant: all its
    clauses, in order, a word or two apart at most), and its `detect` keywords besides. Single
    clauses of a forbidden phrase are not looked for on their own: "等一会儿" is forbidden only
    as "叫什么，等一会儿", and "请您稍等一会儿" is what agents should say."""

    pattern: re.Pattern[str]
    sources: dict[str, Phrase]  # the name of each alternative of the pattern → its forbidden phrase

    @classmethod
    def of(cls, library: Library) -> ForbiddenWording | None:
        """None when the library has no forbidden phrases."""
        alternatives: dict[str, tuple[str, Phrase]] = {}
        for entry in library.entries:
            if isinstance(entry, Phrase) and entry.avoid:
                for regex in _wording_patterns(entry):
                    alternatives.setdefault(regex, (f"w{len(alternatives)}", entry))
        if not alternatives:
            return None
        # Longest first, so "我不能给您办" wins over "我不能".
        ordered = sorted(alternatives.items(), key=lambda item: (-len(item[0]), item[0]))
        pattern = re.compile("|".join(f"(?P<{name}>{regex})" for regex, (name, _) in ordered))
        return cls(pattern, {name: entry for name, entry in alternatives.values()})

    def find(self, text: str) -> tuple[str, Phrase] | None:
        """The first use of forbidden wording in `text`, in the text's own words, and where it comes from."""
        folded, offsets = folded_with_offsets(text)
        for match in self.pattern.finditer(folded):
            start, end = match.span()
            if _QUOTED_AS_FORBIDDEN.search(folded[:start]) or _negation_not_meant(folded, start, end):
                continue
            assert match.lastgroup is not None
            return text[offsets[start] : offsets[end - 1] + 1], self.sources[match.lastgroup]
        return None


def _wording_patterns(entry: Phrase) -> Iterator[str]:
    """Regular expressions (over folded text) for a forbidden phrase's keywords or wordings."""
    for keyword in entry.detect:
        if fold(keyword):
            yield re.escape(fold(keyword))
    for text in _wording(entry):
        clauses = [fold(clause) for clause in _CLAUSE_SPLIT.split(text.text) if fold(clause)]
        if len("".join(clauses)) >= MIN_WORDING_LENGTH:
            yield f".{{0,{MAX_CLAUSE_GAP}}}?".join(re.escape(clause) for clause in clauses)


def _negation_not_meant(folded: str, start: int, end: int) -> bool:
    """Negative wording whose negation is not a "no": an A-not-A question ("是不是我负责的"),
    a negation limited in time ("我不能马上确定"), a polite question or thanks ("我不知道您是否方便")."""
    words = folded[start:end]
    if not any(n in words for n in _NEGATIONS):
        return False
    a_not_a = words[0] in _NEGATIONS and start > 0 and len(words) > 1 and folded[start - 1] == words[1]
    return a_not_a or _NOT_YET.match(folded, end) is not None or _POLITE_AFTER.match(folded, end) is not None


def check_forbidden_wording(library: Library, _today: datetime.date) -> Iterator[Finding]:
    forbidden = ForbiddenWording.of(library)
    if forbidden is None:
        return
    for spoken in spoken_texts(library):
        found = forbidden.find(spoken.text)
        if found:
            words, source = found
            yield (
                spoken.entry,
                spoken.path,
                f"含有服务忌语“{words}”（见 {source.id}：{source.text}），建议说：{source.instead}",
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
