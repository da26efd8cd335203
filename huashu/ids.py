"""Readable ids from Chinese titles: 午间问候 → `wujian-wenhou`.

The one place ids are made, for `huashu new`, `huashu import` and the categories
an import adds: an id an editor can read in a URL and guess from the title.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container, Iterator

from huashu.readings import char_readings, dictionary_words, is_hanzi, plain_syllable, to_simplified
from huashu.validate import id_problem

# Long titles give long URLs: words are kept while the id stays within this many letters.
MAX_ID_LENGTH = 32


def title_words(title: str) -> list[str]:
    """The title's words in pinyin and its ascii words, in order.

    A run of hanzi is read as a whole (pypinyin's phrase readings, so polyphones read as in
    their word) and its syllables grouped in twos, most Chinese words being two characters
    (午间问候 → wujian-wenhou); an odd last syllable joins the group before it (标准问候语 →
    biaozhun-wenhouyu). Predictable without a word segmenter: the same title, the same id.
    """
    words: list[str] = []
    for kind, chars in itertools.groupby(to_simplified(title).lower(), key=_char_kind):
        run = "".join(chars)
        if kind == "ascii":
            words.append(run)
        elif kind == "hanzi":
            words += ["".join(group) for group in _in_twos(list(_syllables(run)))]
    return [word for word in words if word]


def _char_kind(char: str) -> str:
    if char.isascii() and char.isalnum():
        return "ascii"
    return "hanzi" if is_hanzi(char) else "other"


def _in_twos(syllables: list[str]) -> list[list[str]]:
    groups = [syllables[i : i + 2] for i in range(0, len(syllables), 2)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        last = groups.pop()
        groups[-1] += last
    return groups


def _syllables(word: str) -> Iterator[str]:
    """A word's toneless syllables: a phrase's reading where the phrase dictionary has one."""
    for part, readings in dictionary_words(word):
        if readings:
            yield from (plain_syllable(r) for r in readings)
        elif is_hanzi(part) and char_readings(part):
            yield char_readings(part)[0]
        elif part.isascii() and part.isalnum():
            yield part


def readable_id(title: str, taken: Container[str] | Callable[[str], bool], fallback: str) -> str:
    """An id from the title's pinyin, free in `taken` (a collision gets -2, -3 …).

    Args:
        taken: Ids already in use (or a test for one).
        fallback: The stem when the title has no hanzi or letters (a title of only digits
            or symbols), e.g. the category's id.
    """
    is_taken = taken if callable(taken) else taken.__contains__
    stem = _shortened(title_words(title)) or fallback
    assert id_problem(stem) is None, stem
    candidate, number = stem, 1
    while is_taken(candidate):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _shortened(words: list[str]) -> str:
    """Whole words while they fit in MAX_ID_LENGTH (at least the first, cut to fit)."""
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > MAX_ID_LENGTH:
            break
        kept.append(word)
    return "-".join(kept) if kept else (words[0][:MAX_ID_LENGTH] if words else "")
