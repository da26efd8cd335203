"""Readable ids from Chinese titles: 午间问候 → `wujian-wenhou`.

The one place ids are made, for `huashu new`, `huashu import` and the categories
an import adds: an id an editor can read in a URL and guess from the title.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container, Iterator

from huashu.readings import char_readings, dictionary_words, is_hanzi, plain_syllable
from huashu.validate import id_problem

# Long titles give long URLs: words are kept while the id stays within this many letters.
MAX_ID_LENGTH = 32


def title_words(title: str) -> list[str]:
    """The title's words in pinyin and its ascii words, in order.

    A word of pypinyin's phrase dictionary keeps its syllables together; other hanzi are
    paired (most Chinese words have two characters: 午间问候 → wujian, wenhou), as no word
    segmenter ships with huashu.
    """
    words: list[str] = []
    for kind, run in itertools.groupby(_tokens(title.lower()), key=lambda token: token[0]):
        pieces = [piece for _, piece in run]
        if kind == "hanzi":
            words += ["".join(pieces[i : i + 2]) for i in range(0, len(pieces), 2)]
        elif kind == "ascii":
            words.append("".join(pieces))
        elif kind == "word":
            words += pieces
    return words


def _tokens(title: str) -> Iterator[tuple[str, str]]:
    """("word", pinyin) for a dictionary word, ("hanzi", syllable), ("ascii", letter) or ("gap", "")."""
    for word, readings in dictionary_words(title):
        if readings:
            yield "word", "".join(plain_syllable(r) for r in readings)
        elif is_hanzi(word) and char_readings(word):
            yield "hanzi", char_readings(word)[0]
        elif word.isascii() and word.isalnum():
            yield "ascii", word
        else:
            yield "gap", ""


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
